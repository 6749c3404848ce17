//! The visitor log on disk: appends that survive a crash, purges that
//! replace the file atomically.
//!
//! Every operation first verifies the whole log ([`super::verify`]), so
//! nothing is ever added to a log that was tampered with. A torn last
//! record (a crash during an earlier append) is cut off before the next
//! append; the records before it are kept.

use std::fs::{self, OpenOptions};
use std::io::{self, Write};
use std::path::Path;
use std::vec::Vec;

use super::{LogError, LogReport, checkpoint_record, entry_record, header, purged, verify};
use crate::document::Registry;
use crate::keys::{PublicKey, SecretKey};
use crate::receipt::{Receipt, ReceiptError};
use crate::state_file::write_atomically;

/// Why a log file operation failed.
#[derive(Debug)]
#[non_exhaustive]
pub enum LogFileError {
    /// The log was refused.
    Log(LogError),
    /// The receipt to append was refused.
    Receipt(ReceiptError),
    /// Reading or writing the file failed.
    Io(io::Error),
}

impl LogFileError {
    /// The log's or receipt's code, or `io`.
    pub fn code(&self) -> &'static str {
        match self {
            LogFileError::Log(e) => e.code(),
            LogFileError::Receipt(e) => e.code(),
            LogFileError::Io(_) => "io",
        }
    }
}

impl core::fmt::Display for LogFileError {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        match self {
            LogFileError::Log(e) => e.fmt(f),
            LogFileError::Receipt(e) => write!(f, "receipt refused: {e}"),
            LogFileError::Io(e) => e.fmt(f),
        }
    }
}

impl std::error::Error for LogFileError {}

impl From<LogError> for LogFileError {
    fn from(e: LogError) -> Self {
        LogFileError::Log(e)
    }
}

impl From<io::Error> for LogFileError {
    fn from(e: io::Error) -> Self {
        LogFileError::Io(e)
    }
}

/// A visitor log file and the desk keys its records are checked with.
pub struct LogFile<'a> {
    path: &'a Path,
    desk_keys: &'a [PublicKey],
    registry: &'a Registry,
}

impl<'a> LogFile<'a> {
    /// The log at `path`, checked against `desk_keys` (the desk's current
    /// key and any it had before).
    pub fn new(path: &'a Path, desk_keys: &'a [PublicKey], registry: &'a Registry) -> Self {
        Self { path, desk_keys, registry }
    }

    /// Reads and verifies the log; a missing file is an empty log.
    pub fn read(&self) -> Result<(Vec<u8>, LogReport), LogFileError> {
        let bytes = match fs::read(self.path) {
            Ok(bytes) => bytes,
            Err(e) if e.kind() == io::ErrorKind::NotFound => header(),
            Err(e) => return Err(e.into()),
        };
        let report = verify(&bytes, self.desk_keys, self.registry, None)?;
        Ok((bytes, report))
    }

    /// Appends `receipt` at `time` (created with its header if absent),
    /// after checking it with the log's desk keys. Returns its seq.
    pub fn append(&self, receipt: &[u8], time: u64) -> Result<u64, LogFileError> {
        Receipt::verify(receipt, self.desk_keys, self.registry).map_err(LogFileError::Receipt)?;
        let head = self.prepare()?.head;
        let (record, _) = entry_record(head, time, receipt)?;
        self.write_record(&record)?;
        Ok(head.next_seq)
    }

    /// Appends a checkpoint signed by `desk` at `time`. Returns its seq.
    pub fn checkpoint(&self, desk: &SecretKey, time: u64) -> Result<u64, LogFileError> {
        let report = self.prepare()?;
        let (record, _) = checkpoint_record(report.head, time, report.start, desk);
        self.write_record(&record)?;
        Ok(report.head.next_seq)
    }

    /// Drops the records appended before `cutoff` and seals the rest with
    /// a checkpoint signed by `desk` at `now`; the file is replaced
    /// atomically. Returns how many records were dropped.
    pub fn purge(&self, desk: &SecretKey, cutoff: u64, now: u64) -> Result<usize, LogFileError> {
        let (bytes, report) = self.read()?;
        let Some((log, dropped)) = purged(&bytes, &report, cutoff, now, desk) else { return Ok(0) };
        write_atomically(self.path, &log)?;
        Ok(dropped)
    }

    /// Verifies the log, creates it if absent, cuts off a torn tail, and
    /// returns its report: where the next record goes.
    fn prepare(&self) -> Result<LogReport, LogFileError> {
        let (_, report) = self.read()?;
        match fs::metadata(self.path) {
            Err(e) if e.kind() == io::ErrorKind::NotFound => write_atomically(self.path, &header())?,
            Err(e) => return Err(e.into()),
            Ok(_) if report.torn_tail.is_some() => {
                let file = OpenOptions::new().write(true).open(self.path)?;
                file.set_len(report.valid_len as u64)?;
                file.sync_all()?;
            }
            Ok(_) => {}
        }
        Ok(report)
    }

    /// Appends one record in one write, then flushes it to disk: a crash
    /// leaves at most a torn last record, which the next read reports.
    fn write_record(&self, record: &[u8]) -> Result<(), LogFileError> {
        let mut file = OpenOptions::new().append(true).open(self.path)?;
        file.write_all(record)?;
        file.sync_all()?;
        Ok(())
    }
}

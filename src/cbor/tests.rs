use super::*;
use crate::error::MalformedKind::*;
use crate::testing::hex;

#[test]
fn writer_emits_shortest_heads() {
    let cases: &[(i64, &str)] = &[
        (0, "00"),
        (23, "17"),
        (24, "1818"),
        (255, "18ff"),
        (256, "190100"),
        (65_535, "19ffff"),
        (65_536, "1a00010000"),
        (4_294_967_296, "1b0000000100000000"),
        (-1, "20"),
        (-24, "37"),
        (-25, "3818"),
        (-65_537, "3a00010000"),
        (i64::MIN, "3b7fffffffffffffff"),
    ];
    for (i, &(value, expected)) in cases.iter().enumerate() {
        let mut w = Writer::new();
        w.int(value);
        let bytes = w.into_bytes();
        assert_eq!(bytes, hex(expected), "case {i}");
        let mut r = Reader::new(&bytes);
        assert_eq!(r.int(), Ok(value), "case {i}");
        assert_eq!(r.finish(), Ok(()), "case {i}");
    }
}

#[test]
fn skip_accepts_deterministic_items() {
    let cases = [
        "a201020304",               // {1: 2, 3: 4}
        "a2012020f4",               // {1: -1, -1: false}
        "83 f5 f6 d864 1a0001869f", // [true, null, 100(99999)]
        "a2616101616202",           // {"a": 1, "b": 2}
        "82 43 010203 63 616263",   // [h'010203', "abc"]
        "a1 0a a1 01 80",           // {10: {1: []}}
    ];
    for (i, case) in cases.iter().enumerate() {
        let bytes = hex(case);
        let mut r = Reader::new(&bytes);
        assert_eq!(r.skip(8), Ok(()), "case {i}");
        assert_eq!(r.finish(), Ok(()), "case {i}");
    }
}

#[test]
fn skip_decode_fail() {
    let cases: &[(&str, MalformedKind, usize)] = &[
        ("", Truncated, 0),
        ("18", Truncated, 1),
        ("1817", NotPreferredEncoding, 0), // 23 in two bytes
        ("190017", NotPreferredEncoding, 0),
        ("1a0000ffff", NotPreferredEncoding, 0),
        ("1b00000000ffffffff", NotPreferredEncoding, 0),
        ("1c", ReservedEncoding, 0),
        ("ff", ReservedEncoding, 0), // stray break
        ("fc", ReservedEncoding, 0),
        ("9f01ff", IndefiniteLength, 0),
        ("5f4101ff", IndefiniteLength, 0),
        ("f93c00", UnsupportedSimpleValue, 0), // half float 1.0
        ("f7", UnsupportedSimpleValue, 0),     // undefined
        ("f820", UnsupportedSimpleValue, 0),   // simple(32)
        ("a2 01 02 01 03", DuplicateMapKey, 3),
        ("a2 03 02 01 03", UnsortedMapKeys, 3),
        ("a2 20 02 01 03", UnsortedMapKeys, 3), // -1 sorts after 1
        ("62 c328", InvalidUtf8, 1),
        ("43 0102", Truncated, 1),
        ("85 01 02", Truncated, 1),
        ("b9 0101", TooManyItems, 3), // map of 257 pairs
        ("99 0101", TooManyItems, 3), // array of 257
        ("9b 0000000100000000", TooManyItems, 9),
        ("81818181818181818101", TooDeep, 8),
        ("c0c0c0c0c0c0c0c001", TooDeep, 8),
    ];
    for (i, &(case, kind, offset)) in cases.iter().enumerate() {
        let bytes = hex(case);
        let mut r = Reader::new(&bytes);
        assert_eq!(r.skip(8), Err(Malformed::at(kind, offset)), "case {i}: {case}");
    }
}

#[test]
fn trailing_bytes_are_rejected() {
    let bytes = hex("0100");
    let mut r = Reader::new(&bytes);
    assert_eq!(r.uint(), Ok(1));
    assert_eq!(r.finish(), Err(Malformed::at(TrailingBytes, 1)));
}

#[test]
fn typed_reads_report_expected_type() {
    let bytes = hex("20");
    assert_eq!(Reader::new(&bytes).uint(), Err(Malformed::at(UnexpectedType { expected: "unsigned integer" }, 0)));
    let bytes = hex("3bffffffffffffffff");
    assert_eq!(Reader::new(&bytes).int(), Err(Malformed::at(InvalidValue { field: "integer" }, 0)));
    let bytes = hex("00");
    assert_eq!(Reader::new(&bytes).bool(), Err(Malformed::at(UnexpectedType { expected: "bool" }, 0)));
}

#[test]
fn type_is_checked_before_range() {
    // A byte string of length 2⁶³ and a tag 2⁶⁴−1 are no integers, whatever their argument.
    for case in ["5b 8000000000000000", "db ffffffffffffffff"] {
        let bytes = hex(case);
        assert_eq!(Reader::new(&bytes).int(), Err(Malformed::at(UnexpectedType { expected: "integer" }, 0)), "{case}");
    }
}

#[test]
fn head_faults_come_before_the_type() {
    let cases: &[(&str, MalformedKind)] = &[
        ("9f ff", IndefiniteLength),
        ("f7", UnsupportedSimpleValue),
        ("ff", ReservedEncoding),
        ("98 01 00", NotPreferredEncoding),
        ("", Truncated),
        ("80", UnexpectedType { expected: "map" }),
    ];
    for (case, kind) in cases {
        let bytes = hex(case);
        assert_eq!(Reader::new(&bytes).skip_map(4), Err(Malformed::at(*kind, 0)), "{case}");
    }
}

#[test]
fn nested_reader_reports_absolute_offsets() {
    let bytes = hex("1817");
    let r = &mut Reader::nested(&bytes, 100);
    assert_eq!(r.uint(), Err(Malformed::at(NotPreferredEncoding, 100)));
}

#[test]
fn agrees_with_ciborium_on_what_it_accepts() {
    // Everything the strict reader accepts, ciborium decodes to the same value
    // it re-encodes to the same bytes: the strict form is canonical.
    let bytes = hex("a3 01 63616263 20 a1 18 64 f5 38ff 82 d864 19 1d0e 40");
    let mut r = Reader::new(&bytes);
    r.skip(8).unwrap();
    r.finish().unwrap();
    let value: ciborium::Value = ciborium::from_reader(bytes.as_slice()).unwrap();
    let mut again = Vec::new();
    ciborium::into_writer(&value, &mut again).unwrap();
    assert_eq!(again, bytes);
}

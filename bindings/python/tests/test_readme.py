"""The Python desk sample of README.md, run as it is written."""

import re
import time
from pathlib import Path

import nocard
from test_nocard import HOTEL, YEAR, PythonSigner

README = Path(__file__).resolve().parents[3] / "README.md"


def test_the_readme_desk_sample_accepts_a_code_once(tmp_path, monkeypatch, capsys):
    (sample,) = re.findall(r"```python\n(.*?)```", README.read_text(), re.DOTALL)
    now = int(time.time())
    bureau = nocard.Issuer.generate("NBPSB")
    signer = PythonSigner()
    holder = nocard.Holder(bureau.issue("resident_id_card", signer.public_key(), None, now - YEAR, now + YEAR), signer)
    text = holder.present(HOTEL, now, 300, None, None)
    monkeypatch.chdir(tmp_path)
    (tmp_path / "nbpsb.pub").write_bytes(bureau.public_key())
    exec(sample, {"scanned_text": text})
    seen = int(time.time())
    exec(sample, {"scanned_text": text})  # the desk restarted: replay.db remembers
    first, again = capsys.readouterr().out.splitlines()
    assert first == (
        "resident_id_card {'name': {'value': '王小明'}, 'sex': {'value': 1}, "
        "'birth_date': {'year': 1990, 'month': 5, 'day': 17}, 'id_number': {'value': '330203199005170017'}}"
    )
    assert again in [f"refused: replayed presentation already accepted at {t}" for t in range(now, seen + 1)]

"""The recogniser as an object: blank text in a fresh process, no module-wide model state."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent


def _run(code: str, *args: str) -> subprocess.CompletedProcess:
    """``code`` in a fresh interpreter (nothing loaded yet), environment as the test's (tmp_path dirs)."""
    return subprocess.run([sys.executable, "-c", code, *args], cwd=REPO, capture_output=True, text=True,
                          env=dict(os.environ), timeout=120)


def test_blank_text_first_in_a_fresh_process_gives_no_spans():
    code = ("from app.entities import recognise_text, annotate_article\n"
            "from app.model import Article, Paragraph\n"
            "print(len(recognise_text('')), len(recognise_text(' \\u3000\\n')),"
            " len(annotate_article(Article(title='t', paragraphs=[Paragraph('')]))))\n"
            "print(len(recognise_text('副区长邓群标出席')) > 0)")
    out = _run(code)
    assert out.returncode == 0, out.stderr
    assert out.stdout.split() == ["0", "0", "0", "True"]


def test_entities_of_lines_whose_first_line_is_blank(tmp_path):
    lines = tmp_path / "lines.txt"
    lines.write_text("\n副区长邓群标出席。\n", encoding="utf-8")
    out = _run("import sys; from app.cli import main; sys.exit(main(sys.argv[1:]))",
               "entities", "--lines", str(lines), "--json")
    assert out.returncode == 0, out.stderr
    rows = [json.loads(x) for x in out.stdout.splitlines()]
    assert rows[0] == []
    assert {"type": "PERSON", "text": "邓群标", "start": 3, "end": 6} in rows[1]


def test_each_recogniser_holds_its_own_model_loaded_on_first_use():
    from app.entities.crf import model_dir
    from app.entities.recogniser import Recogniser

    a, b = Recogniser(model_dir()), Recogniser(model_dir())
    assert a.paragraph_spans(" \u3000") == [] and not a.is_loaded  # blank text needs no model
    assert ("PERSON", 3, 6) in a.paragraph_spans("副区长邓群标出席")
    assert a.is_loaded and not b.is_loaded
    assert b.article_spans(["副区长邓群标出席", "邓群标说"])[1] == [("PERSON", 0, 3)]
    assert a.model() is not b.model()
    a.unload()
    assert not a.is_loaded and b.is_loaded


def test_threads_asking_at_once_load_the_model_once(monkeypatch):
    import threading
    import time

    from app.entities import recogniser
    from app.entities.crf import model_dir

    real, loads = recogniser.load_model, []

    def slow_load(folder):
        loads.append(folder)
        time.sleep(0.2)  # every thread arrives while the first is still loading
        return real(folder)

    monkeypatch.setattr(recogniser, "load_model", slow_load)
    rec = recogniser.Recogniser(model_dir())
    got: list = []
    threads = [threading.Thread(target=lambda: got.append(rec.paragraph_spans("副区长邓群标出席"))) for _ in range(6)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    assert loads == [model_dir()]
    assert len(got) == 6 and all(x == got[0] for x in got) and ("PERSON", 3, 6) in got[0]

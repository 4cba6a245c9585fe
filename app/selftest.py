"""``baozhi --self-test``: the packaged program checks itself end to end, offscreen.

Each step prints one line (``ok`` or ``FAIL``) and the run stops at the first failure with a
non-zero exit naming that step. Everything is written to a temporary folder that is removed
afterwards; the user's data and settings are never touched.
"""

from __future__ import annotations

import json
import os
import sys
import tempfile
import time
import zipfile
from pathlib import Path
from typing import Callable

from app.library import Library
from app.paths import sample_page


class SelfTestFailure(Exception):
    pass


def _check(condition: bool, message: str) -> None:
    if not condition:
        raise SelfTestFailure(message)


def run_self_test(out=sys.stdout) -> int:
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    with tempfile.TemporaryDirectory(prefix="baozhi-selftest-") as tmp:
        work = Path(tmp)
        os.environ["BAOZHI_DATA_DIR"] = str(work / "data")
        os.environ["BAOZHI_CONFIG_DIR"] = str(work / "config")
        state: dict = {}
        steps: list[tuple[str, Callable[[], str]]] = [
            ("open the sample", lambda: _open(state)),
            ("build a search index", lambda: _index(state, work / "index")),
            ("search", lambda: _search(state)),
            ("entities", lambda: _entities(state)),
            ("export", lambda: _export(state, work / "export")),
            ("window", lambda: _window(work / "window.png")),
        ]
        started = time.perf_counter()
        for name, step in steps:
            t0 = time.perf_counter()
            try:
                detail = step()
            except Exception as err:  # noqa: BLE001 - report any failure as the step's
                print(f"self-test: FAIL {name}: {type(err).__name__ if not isinstance(err, SelfTestFailure) else ''}"
                      f"{': ' if not isinstance(err, SelfTestFailure) else ''}{err}", file=out)
                return 1
            print(f"self-test: ok   {name} ({(time.perf_counter() - t0) * 1000:.0f} ms): {detail}", file=out)
        state.get("index") and state["index"].close()
        print(f"self-test: all {len(steps)} steps passed in {time.perf_counter() - started:.1f} s", file=out)
    return 0


def _open(state: dict) -> str:
    library = Library()
    library.add(sample_page())
    articles = library.articles
    _check(len(articles) == 7, f"expected 7 articles in the sample, got {len(articles)}")
    _check(articles[0].title == "区领导调研大气污染防治工作", f"unexpected first title {articles[0].title!r}")
    state["library"] = library
    return f"{len(articles)} articles"


def _index(state: dict, index_dir: Path) -> str:
    """Built the way the window builds it: by a child process of this very program."""
    from app.index_worker import Failed, Finished, Worker
    from app.search import SearchIndex

    worker = Worker(index_dir, state["library"].sources)
    try:
        worker.start()
        outcome = list(worker.events())[-1]
    finally:
        worker.close()
    if isinstance(outcome, Failed):  # events() ends with exactly one Finished or Failed
        raise SelfTestFailure(f"the indexer process failed: {outcome.message}")
    _check(isinstance(outcome, Finished) and outcome.stats.get("articles_indexed") == len(state["library"].articles),
           f"the indexer process did not index the sample: {outcome}")
    index = SearchIndex(index_dir)
    state["index"] = index
    return f"{index.article_count} articles indexed by a child process"


def _search(state: dict) -> str:
    index = state["index"]
    titles = {a.id: a.title for a in state["library"].articles}
    expectations = {
        "扬尘": "区领导调研大气污染防治工作",
        "伟潮": "江海区一大新县粤桂协作工作座谈会召开",
        '"食品安全示范城市"': "江海区召开创建国家食品安全示范城市动员部署会",
        "揚塵": "区领导调研大气污染防治工作",  # Traditional folded to Simplified
        "湾区": "区十一届人大常委会第十五次会议召开",
    }
    for query, title in expectations.items():
        result = index.search(query)
        found = [titles.get(h.id) for h in result.hits]
        _check(title in found, f"{query!r} did not find {title!r} (found {found})")
    _check(index.search("不存在的词语组合").total == 0, "a miss returned hits")
    # pinyin reads a dictionary file the package must carry
    result = index.search("jiangmen")
    found = [titles.get(h.id) for h in result.hits]
    _check(result.pinyin and "江海区政府与农行江门分行签署战略合作协议" in found,
           f"pinyin 'jiangmen' did not find the 江门 title (found {found})")
    return f"{len(expectations) + 1} queries (one by pinyin) found their articles, a miss found none"


def _entities(state: dict) -> str:
    from app.entities import annotate_articles

    articles = state["library"].articles
    annotate_articles(articles)
    people = {e.text for a in articles for e in a.entities if e.type == "PERSON"}
    for name in ("夏加伟", "邓群标", "郑伟潮"):
        _check(name in people, f"person {name} not recognised")
    money = {e.text for a in articles for e in a.entities if e.type == "MONEY"}
    _check("4250万元" in money, "money 4250万元 not recognised")
    return f"{sum(len(a.entities) for a in articles)} entities, {len(people)} people"


def _export(state: dict, folder: Path) -> str:
    from app.export import FORMATS, ExportOptions, export_articles

    from app.ui.application import create_application

    create_application()  # one QApplication for the PDF writer and, later, the window
    articles = state["library"].articles
    folder.mkdir()
    for fmt, suffix in FORMATS.items():
        [path] = export_articles(articles, fmt, folder / f"all{suffix}", ExportOptions(highlights=True))
        _check(path.stat().st_size > 0, f"{fmt}: empty file")
        _verify_export(fmt, path, articles[0].title)
    return f"{len(FORMATS)} formats: {', '.join(FORMATS)}"


def _verify_export(fmt: str, path: Path, title: str) -> None:
    if fmt in ("html", "md", "txt"):
        _check(title in path.read_text(encoding="utf-8"), f"{fmt}: title missing")
    elif fmt == "json":
        _check(json.loads(path.read_text(encoding="utf-8"))[0]["title"] == title, "json: title missing")
    elif fmt in ("docx", "epub"):
        with zipfile.ZipFile(path) as z:
            text = "".join(z.read(n).decode("utf-8", "replace") for n in z.namelist() if n.endswith((".xml", ".xhtml")))
        _check(title in text, f"{fmt}: title missing")
    elif fmt == "pdf":
        from pypdf import PdfReader

        reader = PdfReader(str(path))
        _check(title in reader.pages[0].extract_text(), "pdf: title missing from the first page's text")
        _check(any(o.title == title for o in reader.outline if hasattr(o, "title")), "pdf: no outline entry")


def _window(png: Path) -> str:
    from app.ui.application import run

    code = run(sources=[str(sample_page())], screenshot=png, index_dir=None)
    _check(code == 0 and png.stat().st_size > 10_000, "the window could not be rendered")
    from PySide6.QtCore import QCoreApplication
    from PySide6.QtWidgets import QApplication

    from app.ui.settings.i18n import Translations

    translations = Translations(QApplication.instance())
    translations.apply("zh_CN")  # Qt's own dialogs speak Chinese too: qtbase's translations ship
    looked_in = QCoreApplication.translate("QFileDialog", "Look in:")
    translations.apply("en")
    _check(looked_in != "Look in:", "Qt's own Chinese translations (qtbase_zh_CN) are missing")
    return "main window rendered offscreen; Qt's dialogs translated"

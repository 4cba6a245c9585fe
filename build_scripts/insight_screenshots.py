"""The README's pictures of seeing the archive: the timeline, the network and a dossier, on the
bundled sample and on a generated archive (the benchmarks' seeded pages made of the sample's own
sentences, with years in their datelines; entities by the shipped recogniser). Run offscreen: ``python build_scripts/insight_screenshots.py [--articles 10000]``;
writes docs/insight-*.png. Nothing of the user's is read or written.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def settle(app, seconds: float = 0.5) -> None:
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        app.processEvents()
        time.sleep(0.01)


def wait(app, condition, timeout: float = 600) -> None:
    end = time.monotonic() + timeout
    while not condition() and time.monotonic() < end:
        app.processEvents()
        time.sleep(0.01)


def shoot(window, app, out: Path, query: str, dossier: tuple[str, str] | None, pages: list[str],
          give_entities=None) -> None:
    """Open ``pages``, search ``query``, show the network, open ``dossier`` (the most common name
    of the synthetic entities when None); save the window, the network and the dossier."""
    window.open_paths(pages, expand_folders=True)
    wait(app, lambda: window.panel.model.rowCount() > 0 and not window._loads)
    if give_entities is None:
        window.library_search.annotate_now(window.sources)
    else:
        most = give_entities(window.panel.model.articles())
        dossier = dossier or most
        window.entities.recount_library()
    window.insight.library_loaded()
    window.insight.network_dock.show()
    window.insight.recount_network()
    settle(app, 1.0)
    window.panel.search.setText(query)
    wait(app, lambda: window.panel.showing.kind == "search")
    window.insight.pool.waitForDone(60000)
    settle(app, 1.0)
    wait(app, lambda: getattr(window.insight.network.canvas, "edges_drawn", True))
    settle(app, 0.5)
    window.grab().save(str(out.with_name(out.stem + "-window.png")))
    window.insight.network.save_png(str(out.with_name(out.stem + "-network.png")))
    dialog = window.insight.open_dossier(*dossier)
    window.insight.pool.waitForDone(60000)
    wait(app, lambda: dialog.view.dossier() is not None)
    settle(app, 0.5)
    dialog.grab().save(str(out.with_name(out.stem + "-dossier.png")))
    dialog.close()


def write_archive(folder: Path, n_articles: int, seed: int = 2026) -> None:
    """The benchmarks' seeded pages, made only of the bundled sample's sentences (no third-party
    text in the pictures), each page's datelines given a year from 2016 to 2023 (one page in
    thirty keeps month and day only: undated)."""
    import random
    import re

    from tests.benchmarks.corpus import ArchiveGenerator, load_sentences

    generator = ArchiveGenerator(seed, sentences=load_sentences(ROOT / "no-such-corpus.bio"))
    rng = random.Random(seed)
    folder.mkdir(parents=True)
    count = number = 0
    while count < n_articles:
        page = generator.page(number)
        text = page.text
        if rng.random() >= 1 / 30:
            year = rng.randint(2016, 2023)
            text = re.sub(r"(江门日报讯\(记者/[^)]+\))(\d+月\d+日)", rf"\g<1>{year}年\g<2>", text)
        (folder / page.name).write_text(text, encoding="utf-8")
        count += len(page.articles)
        number += 1


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--articles", type=int, default=10_000, help="articles in the generated archive")
    args = parser.parse_args()
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    work = Path(tempfile.mkdtemp(prefix="baozhi-shots-"))
    os.environ["BAOZHI_CONFIG_DIR"] = str(work / "config")
    os.environ["BAOZHI_DATA_DIR"] = str(work / "data")
    from app.paths import sample_page
    from app.ui.application import create_application, create_window
    from app.ui.settings.i18n import Translations
    from app.ui.settings.store import Settings

    app = create_application()
    translations = Translations(app)
    translations.apply("zh_CN")
    docs = ROOT / "docs"

    window = create_window(Settings(), translations, screenshot=True)
    window.resize(1400, 860)
    window.show()
    shoot(window, app, docs / "insight-sample", "扬尘 | 食品安全", ("PLACE", "江海区"), [str(sample_page())])
    window.close()

    pages = work / "pages"
    write_archive(pages, args.articles)
    window = create_window(Settings(), translations, screenshot=True)
    window.resize(1400, 860)
    window.show()
    shoot(window, app, docs / "insight-archive", "扬尘 | 食品安全", ("PERSON", "夏加伟"), [str(pages)])
    window.close()
    print(f"screenshots written to {docs}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

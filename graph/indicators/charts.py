"""SVG charts of the indicators, drawn with matplotlib's SVG backend: a bar chart per
indicator (one bar per group, e.g. per country) and a country profile (small multiples:
one panel per group, every indicator in it). Each bar carries a <title> with its value and
the counts behind it, which browsers show on hover and tests read. The output is stable
(fixed hash salt, no date), so a committed chart only changes when the figures do."""
from __future__ import annotations

import io
import xml.etree.ElementTree as ET
from pathlib import Path

import matplotlib

matplotlib.use("svg")
import matplotlib.pyplot as plt  # noqa: E402

SVG_NS = "http://www.w3.org/2000/svg"
ET.register_namespace("", SVG_NS)
ET.register_namespace("xlink", "http://www.w3.org/1999/xlink")
_STYLE = {"svg.hashsalt": "qfgraph", "svg.fonttype": "none", "font.size": 9, "axes.spines.top": False,
          "axes.spines.right": False}


def value_text(group) -> str:
    share = "no data" if group.value is None else f"{100 * group.value:.0f}%"
    return f"{group.label}: {share} ({group.numerator}/{group.denominator})"


def _svg(fig, titles: dict[str, str]) -> str:
    """The figure as SVG text, each element with a gid in `titles` given that <title>."""
    out = io.StringIO()
    fig.savefig(out, format="svg", metadata={"Date": None, "Creator": "qfgraph (matplotlib)"})
    plt.close(fig)
    root = ET.fromstring(out.getvalue())
    for g in root.iter(f"{{{SVG_NS}}}g"):
        text = titles.get(g.get("id", ""))
        if text is not None:
            title = ET.Element(f"{{{SVG_NS}}}title")
            title.text = text
            g.insert(0, title)
    return ET.tostring(root, encoding="unicode")


def bar_chart(outcome) -> str:
    """One bar per group (those with no data drawn empty and labelled so)."""
    groups = outcome.groups
    with plt.rc_context(_STYLE):
        fig, ax = plt.subplots(figsize=(1.6 + 0.9 * max(len(groups), 1), 3.2))
        titles = {}
        for x, g in enumerate(groups):
            height = 0 if g.value is None else 100 * g.value
            bar = ax.bar(x, height, color="#4c72b0" if g.value is not None else "#cccccc")[0]
            gid = f"bar-{x}"
            bar.set_gid(gid)
            titles[gid] = value_text(g)
            ax.text(x, height + 2, "no data" if g.value is None else f"{height:.0f}%", ha="center", va="bottom")
        ax.set_xticks(range(len(groups)), [g.label for g in groups])
        ax.set_ylim(0, 110)
        ax.set_ylabel("%")
        ax.set_title(outcome.indicator.title, fontsize=9, wrap=True)
        fig.tight_layout()
        return _svg(fig, titles)


def profile_chart(outcomes) -> str:
    """Small multiples: a panel per group (country), a horizontal bar per indicator."""
    labels = sorted({g.label for o in outcomes for g in o.groups})
    with plt.rc_context(_STYLE):
        fig, axes = plt.subplots(1, max(len(labels), 1), sharey=True,
                                 figsize=(2.2 + 2.4 * max(len(labels), 1), 0.5 + 0.32 * len(outcomes)),
                                 squeeze=False)
        titles = {}
        names = [o.indicator.id for o in outcomes]
        for col, (ax, lab) in enumerate(zip(axes[0], labels)):
            for row, o in enumerate(outcomes):
                g = next((g for g in o.groups if g.label == lab), None)
                width = 0 if g is None or g.value is None else 100 * g.value
                bar = ax.barh(row, width, color="#55a868")[0]
                gid = f"bar-{col}-{row}"
                bar.set_gid(gid)
                titles[gid] = f"{o.indicator.id}, " + (value_text(g) if g else f"{lab}: no data")
            ax.set_xlim(0, 100)
            ax.set_title(lab)
            ax.invert_yaxis() if col == 0 else None
        axes[0][0].set_yticks(range(len(names)), names)
        fig.tight_layout()
        return _svg(fig, titles)


def write_charts(outcomes, folder: Path) -> list[Path]:
    """A bar chart per indicator (`<id>.svg`) and the profile (`profile.svg`) into `folder`."""
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    for o in outcomes:
        path = folder / f"{o.indicator.id}.svg"
        path.write_text(bar_chart(o), encoding="utf-8")
        written.append(path)
    path = folder / "profile.svg"
    path.write_text(profile_chart(outcomes), encoding="utf-8")
    return [*written, path]

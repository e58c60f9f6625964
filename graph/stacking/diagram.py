"""A path as a picture: SVG made here, so it prints, scales and needs no script.

Stages run left to right toward the target qualification; an arrow joins a micro-credential
to each one it must come after (its prerequisites); validation steps are drawn apart, below,
with dashed borders (they are assessed, not taken); two bars show the coverage of the
target's units before and after the path. The input is the JSON of a path (render.path_json),
the same the API returns, so the picture never tells another story than the answer.
"""
from __future__ import annotations

import textwrap
from xml.sax.saxutils import escape, quoteattr

BOX_W, GAP_X, MARGIN = 236, 56, 16
LINE, PAD, GAP_Y = 16, 10, 14
# characters per line that fit a box: bold 14 px titles, 12 px notes (system-ui, average widths)
TITLE_CHARS, TITLE_LINES, NOTE_CHARS = 25, 3, 32
BAR_H, BAR_LABEL_W = 18, 150

STYLE = """
.qf-path text{font-family:system-ui,sans-serif;font-size:13px;fill:#1d2430}
.qf-path .head{font-weight:700;font-size:14px}
.qf-path .muted{fill:#4a5361;font-size:12px}
.qf-path .mc rect{fill:#eef3fb;stroke:#0b5cad;stroke-width:1.5}
.qf-path .target rect{fill:#e7f5ec;stroke:#1d7a3e;stroke-width:2}
.qf-path .validation rect{fill:#fff8e6;stroke:#8a5a00;stroke-width:1.5;stroke-dasharray:6 4}
.qf-path .arrow{fill:none;stroke:#0b5cad;stroke-width:1.6}
.qf-path .bar-bg{fill:#f0f1f4;stroke:#8a93a0}
.qf-path .bar-before{fill:#8a93a0}
.qf-path .bar-after{fill:#1d7a3e}
"""


def _lines(text: str, chars: int = TITLE_CHARS, most: int = TITLE_LINES) -> list[str]:
    lines = textwrap.wrap(text or "", chars) or [""]
    if len(lines) > most:
        lines = lines[:most]
        lines[-1] = lines[-1][: chars - 1].rstrip() + "…"
    return lines


def _text(x: float, y: float, text: str, cls: str = "") -> str:
    attr = f' class="{cls}"' if cls else ""
    return f'<text x="{x:g}" y="{y:g}"{attr}>{escape(text)}</text>'


def _facts(mc: dict) -> str:
    facts = [f"{mc['ects']:g} ECTS" if mc.get("ects") is not None else "ECTS not stated"]
    if mc.get("eqf_level"):
        facts.append(f"EQF {mc['eqf_level']}")
    facts += [", ".join(mc.get("languages") or [])] if mc.get("languages") else []
    facts += [", ".join(mc.get("mode_labels") or [])] if mc.get("mode_labels") else []
    return " · ".join(facts)


class _Box:
    """A box of text lines: a bold title, then muted lines."""

    def __init__(self, title: list[str], more: list[str]):
        self.title, self.more = title, more
        self.height = PAD * 2 + LINE * (len(title) + len(more))
        self.x = self.y = 0.0

    def svg(self, cls: str, data: dict[str, str], label: str) -> str:
        attrs = "".join(f" data-{k}={quoteattr(v)}" for k, v in data.items())
        out = [f'<g class="{cls}"{attrs} aria-label={quoteattr(label)}>',
               f'<rect x="{self.x:g}" y="{self.y:g}" width="{BOX_W}" height="{self.height:g}" rx="6"/>']
        y = self.y + PAD + 12
        for line in self.title:
            out.append(_text(self.x + PAD, y, line, "head"))
            y += LINE
        for line in self.more:
            out.append(_text(self.x + PAD, y, line, "muted"))
            y += LINE
        return "".join(out) + "</g>"

    @property
    def right(self) -> tuple[float, float]:
        return self.x + BOX_W, self.y + self.height / 2

    @property
    def left(self) -> tuple[float, float]:
        return self.x, self.y + self.height / 2


def _mc_box(mc: dict) -> _Box:
    more = _lines(_facts(mc), NOTE_CHARS, 2)
    if mc.get("provider_title"):
        more += _lines(mc["provider_title"], NOTE_CHARS, 1)
    covers = mc.get("covers") or {}
    if covers.get("units"):
        more.append(f"counts as {len(covers['units'])} unit" + ("s" if len(covers["units"]) > 1 else ""))
    return _Box(_lines(mc["title"]), more)


def _validation_box(v: dict) -> _Box:
    more = [f"validate this {v['kind']} · {v['ects_share']:g} ECTS"]
    if v.get("authority_title") or v.get("authority"):
        more += _lines("by " + (v.get("authority_title") or v["authority"]), NOTE_CHARS, 2)
    return _Box(_lines(v["title"], TITLE_CHARS, 2), more)


def _bar(y: float, width: float, label: str, c: dict, cls: str) -> list[str]:
    share = c["units_achieved"] / c["units_total"] if c["units_total"] else 0.0
    x, w = MARGIN + BAR_LABEL_W, width - MARGIN * 2 - BAR_LABEL_W
    met = "requirement met" if c["requirement_met"] else "requirement not met"
    words = (f"{c['units_achieved']} of {c['units_total']} units, {c['outcomes_covered']} of "
             f"{c['outcomes_total']} outcomes, {met}")
    return [f'<g class="coverage {cls}" data-units="{c["units_achieved"]}" data-total="{c["units_total"]}">',
            _text(MARGIN, y + 13, label, "head"),
            f'<rect class="bar-bg" x="{x:g}" y="{y:g}" width="{w:g}" height="{BAR_H}" rx="3"/>',
            f'<rect class="bar-{cls}" x="{x:g}" y="{y:g}" width="{w * share:.1f}" height="{BAR_H}" rx="3"/>',
            _text(x, y + BAR_H + 14, words, "muted"), "</g>"]


def _arrow(a: tuple[float, float], b: tuple[float, float]) -> str:
    (x1, y1), (x2, y2) = a, b
    bend = max((x2 - x1) / 2, 20)
    return (f'<path class="arrow" marker-end="url(#qf-arrow)" d="M{x1:g},{y1:g} C{x1 + bend:g},{y1:g} '
            f'{x2 - bend:g},{y2:g} {x2 - 2:g},{y2:g}"/>')


def path_svg(path: dict, target: dict, element_id: str = "path") -> str:
    """The SVG of one path (render.path_json) toward `target` ({title, ects, eqf_level})."""
    stages = path["stages"]
    columns = [[(mc, _mc_box(mc)) for mc in s["micro_credentials"]] for s in stages]
    goal = _Box(_lines(target.get("title") or "the qualification"),
                [" · ".join(x for x in (f"EQF {target['eqf_level']}" if target.get("eqf_level") else "",
                                         f"{target['ects']:g} ECTS" if target.get("ects") else "") if x)
                 or "qualification"])
    width = MARGIN * 2 + (len(columns) + 1) * BOX_W + len(columns) * GAP_X
    width = max(width, 560)
    top = MARGIN + 2 * (BAR_H + 30) + 18          # below the two coverage bars
    heads_y, boxes_y = top, top + 24
    tallest = 0.0
    for i, column in enumerate(columns):
        y = boxes_y
        for _, box in column:
            box.x, box.y = MARGIN + i * (BOX_W + GAP_X), y
            y += box.height + GAP_Y
        tallest = max(tallest, y - boxes_y)
    goal.x, goal.y = MARGIN + len(columns) * (BOX_W + GAP_X), boxes_y
    tallest = max(tallest, goal.height + GAP_Y)
    validations = [(v, _validation_box(v)) for v in path.get("validation") or []]
    per_row = max(1, (width - MARGIN * 2 + GAP_X) // (BOX_W + GAP_X))
    v_top = boxes_y + tallest + 16
    y, row_h = v_top + 24, 0.0
    for k, (_, box) in enumerate(validations):
        if k and k % per_row == 0:
            y, row_h = y + row_h + GAP_Y, 0.0
        box.x, box.y = MARGIN + (k % per_row) * (BOX_W + GAP_X), y
        row_h = max(row_h, box.height)
    height = (y + row_h + MARGIN) if validations else v_top

    where = {mc["iri"]: (i, box) for i, column in enumerate(columns) for mc, box in column}
    out = [f'<svg xmlns="http://www.w3.org/2000/svg" class="qf-path" id={quoteattr(element_id)} '
           f'viewBox="0 0 {width:g} {height:g}" width="{width:g}" height="{height:g}" role="img" '
           f'aria-labelledby="{element_id}-title {element_id}-desc">',
           f'<title id="{element_id}-title">{escape(_title(path, target))}</title>',
           f'<desc id="{element_id}-desc">{escape(_description(path))}</desc>',
           f"<style>{STYLE}</style>",
           '<defs><marker id="qf-arrow" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="8" '
           'markerHeight="8" orient="auto-start-reverse"><path d="M0,0 L10,5 L0,10 z" fill="#0b5cad"/>'
           "</marker></defs>"]
    out += _bar(MARGIN, width, "Coverage now", path["coverage"]["before"], "before")
    out += _bar(MARGIN + BAR_H + 30, width, "After this path", path["coverage"]["after"], "after")
    for i in range(len(columns)):
        out.append(_text(MARGIN + i * (BOX_W + GAP_X), heads_y + 12, f"Stage {i + 1}", "head"))
    out.append(_text(goal.x, heads_y + 12, "Qualification", "head"))
    if not columns:
        out.append(_text(MARGIN, boxes_y + 16, "Nothing to take: what is held and validated is enough.",
                         "muted"))
    # arrows first, so the boxes lie over them
    for column in columns:
        for mc, box in column:
            for q in mc.get("requires") or []:
                if q in where and where[q][0] < where[mc["iri"]][0]:
                    out.append(_arrow(where[q][1].right, box.left))
    for s, column in zip(stages, columns):
        for mc, box in column:
            out.append(box.svg("mc", {"iri": mc["iri"], "stage": str(s["stage"])},
                               f"Stage {s['stage']}: {mc['title']}, {_facts(mc)}"))
    out.append(goal.svg("target", {"iri": target.get("iri") or ""}, f"Target: {target.get('title')}"))
    if validations:
        out.append(_text(MARGIN, v_top + 14, "Validation of prior learning (assessed, not taken)", "head"))
        for v, box in validations:
            out.append(box.svg("validation", {"iri": v["item"], "standard": v["standard"]},
                               f"Validate {v['kind']} {v['title']} under {v['standard_title']}"))
    out.append("</svg>")
    return "\n".join(out)


def _title(path: dict, target: dict) -> str:
    kind = "Path" if path.get("complete", True) else "Closest partial path"
    return f"{kind} to {target.get('title')}"


def _description(path: dict) -> str:
    parts = []
    for s in path["stages"]:
        parts.append(f"Stage {s['stage']}: " + "; ".join(mc["title"] for mc in s["micro_credentials"]) + ".")
    for v in path.get("validation") or []:
        parts.append(f"Validate {v['kind']} {v['title']}.")
    after = path["coverage"]["after"]
    parts.append(f"Afterwards {after['units_achieved']} of {after['units_total']} units are achieved.")
    return " ".join(parts)

"""图1–图11 of the report as PNG images, drawn with matplotlib (Agg) in Noto Sans SC.

One colour scheme, values written on the bars, every value a model field. Figures are built on
`matplotlib.figure.Figure` (no pyplot state), so rendering is reentrant.
"""

from __future__ import annotations

import io
from collections.abc import Callable
from functools import lru_cache

from hotline.render import fonts
from hotline.render.text import FIGURES, pct, score
from hotline.report import model as M

PALETTE = ["#2F5597", "#C55A11", "#548235", "#BF8F00", "#7030A0", "#2E9AB6", "#A23B3B", "#7F7F7F"]
PRIMARY, ACCENT = PALETTE[0], PALETTE[1]
GRID = "#D9D9D9"
TABLE_HEAD, TABLE_STRIPE, TABLE_EDGE = PRIMARY, "#EAF0F8", "#8EA9D3"
WIDTH_IN = 6.3  # 16 cm: the width of the text block (156 mm) less a little
DPI = 200

# column labels of the figures drawn as tables (图7, 图9, 图10)
ONLINE_HOT_COLUMNS = ("在线咨询类别", "热点事项", "在线办结量（件）")
DISSATISFIED_COLUMNS = ("不满意类别", "数量", "占比")
OVERDUE_COLUMNS = ("单位", "数量", "诉求内容")
DISPATCH_LEGEND = ("转办总量", "其中主要事项")
UNIT_JIAN = "件"


@lru_cache(maxsize=1)
def _register_fonts() -> str:
    from matplotlib import font_manager

    font_manager.fontManager.addfont(str(fonts.font_path(fonts.SANS)))
    return fonts.FAMILY[fonts.SANS]


def _rc() -> dict:
    return {
        "font.family": [_register_fonts()],
        "font.size": 10,
        "axes.unicode_minus": False,
        "axes.edgecolor": "#595959",
        "axes.labelcolor": "#262626",
        "xtick.color": "#262626",
        "ytick.color": "#262626",
        "axes.spines.top": False,
        "axes.spines.right": False,
        "savefig.facecolor": "white",
    }


def wrap(text: str, width: int) -> str:
    """Break a label into lines of at most `width` characters, balanced (no one-character last line)."""
    if len(text) <= width:
        return text
    lines = -(-len(text) // width)
    size = -(-len(text) // lines)
    return "\n".join(text[i:i + size] for i in range(0, len(text), size))


def _figure(height_in: float, *, rows: int = 1, cols: int = 1, **kw):
    from matplotlib.figure import Figure

    fig = Figure(figsize=(WIDTH_IN, height_in), dpi=DPI)
    axes = fig.subplots(rows, cols, squeeze=False, **kw)
    return fig, axes


def _png(fig) -> bytes:
    buf = io.BytesIO()
    fig.savefig(buf, format="png", dpi=DPI, bbox_inches="tight", pad_inches=0.08, pil_kwargs={"compress_level": 1})
    return buf.getvalue()


def _barh(ax, labels: list[str], values: list[float], texts: list[str], colors=None, fontsize: float = 9.5,
          top: float | None = None) -> None:
    ys = list(range(len(labels)))
    ax.barh(ys, values, color=colors or PRIMARY, height=0.62, zorder=2)
    ax.set_yticks(ys, labels, fontsize=fontsize)
    ax.invert_yaxis()
    top = top or max(values, default=0) or 1
    ax.set_xlim(0, top * 1.32)
    for y, v, t in zip(ys, values, texts):
        ax.text(v + top * 0.015, y, t, va="center", ha="left", fontsize=fontsize - 0.5, color="#262626")
    ax.xaxis.grid(True, color=GRID, linewidth=0.6, zorder=0)
    ax.tick_params(axis="x", labelsize=8)
    ax.spines["left"].set_color("#595959")


def _empty(ax, message: str = "本月无数据") -> None:
    ax.axis("off")
    ax.text(0.5, 0.5, message, ha="center", va="center", fontsize=11, color="#7F7F7F", transform=ax.transAxes)


# ---- the figures -------------------------------------------------------------------------------------------


def by_type(r: M.Report):
    """图1: appeal types as a ring, the legend holding count and share."""
    fig, axes = _figure(2.6)
    ax = axes[0][0]
    items = [s for s in r.calls.by_type if s.count]  # a type the month has none of is not drawn
    wedges, _ = ax.pie([s.count for s in items], colors=PALETTE[:len(items)], startangle=90, counterclock=False,
                       wedgeprops={"width": 0.42, "edgecolor": "white", "linewidth": 1})
    for w, s in zip(wedges, items):
        if (s.share or 0) >= 5:
            import math

            angle = math.radians((w.theta1 + w.theta2) / 2)
            ax.text(0.79 * math.cos(angle), 0.79 * math.sin(angle), pct(s.share), ha="center", va="center",
                    fontsize=8.5, color="white")
    ax.text(0, 0.08, "受理诉求", ha="center", va="center", fontsize=9.5, color="#595959")
    ax.text(0, -0.12, f"{r.calls.accepted} {UNIT_JIAN}", ha="center", va="center", fontsize=11, color="#262626")
    ax.legend(wedges, [f"{s.label}  {s.count} {UNIT_JIAN}  {pct(s.share)}" for s in items], loc="center left",
              bbox_to_anchor=(1.0, 0.5), frameon=False, fontsize=10, handlelength=1.2)
    ax.set_aspect("equal")
    return fig


def categories(r: M.Report):
    """图2: the top categories, count and share on each bar."""
    fig, axes = _figure(3.2)
    ax = axes[0][0]
    items = r.hotspots.categories
    if not items:
        _empty(ax)
        return fig
    xs = list(range(len(items)))
    values = [s.count for s in items]
    ax.bar(xs, values, color=PRIMARY, width=0.58, zorder=2)
    top = max(values) or 1
    for x, s in zip(xs, items):
        ax.text(x, s.count + top * 0.02, f"{s.count}\n{pct(s.share)}", ha="center", va="bottom", fontsize=9)
    ax.set_xticks(xs, [wrap(s.label, 5) for s in items], fontsize=9)
    ax.set_ylim(0, top * 1.25)
    ax.set_ylabel(f"受理量（{UNIT_JIAN}）", fontsize=9)
    ax.yaxis.grid(True, color=GRID, linewidth=0.6, zorder=0)
    ax.tick_params(axis="y", labelsize=8)
    return fig


def subcategories(r: M.Report):
    """图3: the top subcategories as horizontal bars."""
    items = r.hotspots.subcategories
    fig, axes = _figure(0.9 + 0.3 * max(len(items), 3))
    ax = axes[0][0]
    if not items:
        _empty(ax)
        return fig
    _barh(ax, [s.label for s in items], [s.count for s in items],
          [f"{s.count} {UNIT_JIAN}（{pct(s.share)}）" for s in items])
    return fig


def _panels(panels: list[M.TopPanel], cols: int, title: Callable[[M.TopPanel], str]):
    rows = max(1, -(-len(panels) // cols))
    fig, axes = _figure(1.45 * rows + 0.2, rows=rows, cols=cols)
    labels: dict[str, str] = {}
    top = max((s.share or 0 for p in panels for s in p.top), default=0)  # one scale for every panel
    for p in panels:
        for s in p.top:
            labels.setdefault(s.label, PALETTE[len(labels) % len(PALETTE)])
    for i, row in enumerate(axes):
        for j, ax in enumerate(row):
            k = i * cols + j
            if k >= len(panels):
                ax.axis("off")
                continue
            p = panels[k]
            ax.set_title(title(p), fontsize=10, loc="left", color="#262626", pad=4)
            if not p.top:
                _empty(ax)
                continue
            _barh(ax, [wrap(s.label, 8) for s in p.top], [s.share or 0 for s in p.top],
                  [pct(s.share) for s in p.top], colors=[labels[s.label] for s in p.top], fontsize=8.5, top=top)
            ax.set_xticks([])
            ax.xaxis.grid(False)
    fig.subplots_adjust(hspace=0.75, wspace=0.95)
    return fig


def regions(r: M.Report):
    """图4: each county, district and park: its top-3 subcategories (share of its dispatched tickets)."""
    return _panels(r.hotspots.regions, 2, lambda p: f"{p.name}（{p.total} {UNIT_JIAN}）")


def units(r: M.Report):
    """图5: the five units with most tickets and their top-3 subcategories."""
    return _panels(r.hotspots.units, 2, lambda p: f"{p.name}（{p.total} {UNIT_JIAN}）")


def civility(r: M.Report):
    """图6: civility-campaign appeals by theme."""
    items = r.hotspots.civility_by_theme
    fig, axes = _figure(0.9 + 0.42 * max(len(items), 2))
    ax = axes[0][0]
    if not items:
        _empty(ax)
        return fig
    _barh(ax, [s.label for s in items], [s.count for s in items],
          [f"{s.count} {UNIT_JIAN}（{pct(s.share)}）" for s in items], colors=PALETTE[:len(items)])
    return fig


def _table(columns: tuple[str, ...], rows: list[list[str]], widths: list[float]):
    fig, axes = _figure(0.34 * (len(rows) + 1) + 0.1)
    ax = axes[0][0]
    ax.axis("off")
    if not rows:
        rows = [["本月无数据"] + [""] * (len(columns) - 1)]
    tbl = ax.table(cellText=rows, colLabels=list(columns), colWidths=widths, cellLoc="center", loc="upper center",
                   bbox=[0, 0, 1, 1])
    tbl.auto_set_font_size(False)
    tbl.set_fontsize(10.5)
    for (i, _), cell in tbl.get_celld().items():
        cell.set_edgecolor(TABLE_EDGE)
        cell.set_linewidth(0.6)
        if i == 0:
            cell.set_facecolor(TABLE_HEAD)
            cell.get_text().set_color("white")
        elif i % 2 == 0:
            cell.set_facecolor(TABLE_STRIPE)
    return fig


def online_hot(r: M.Report):
    """图7: online-resolved hotspots: category, its hot topics, count."""
    return _table(ONLINE_HOT_COLUMNS, [[o.category, "、".join(o.topics), str(o.count)] for o in r.handling.online_hot],
                  [0.34, 0.40, 0.26])


def dispatch_hot(r: M.Report):
    """图8: dispatched tickets by category, with the main subcategory of each."""
    items = r.handling.dispatch_hot
    fig, axes = _figure(3.5)
    ax = axes[0][0]
    if not items:
        _empty(ax)
        return fig
    xs = list(range(len(items)))
    w = 0.36
    total = ax.bar([x - w / 2 for x in xs], [d.count for d in items], width=w, color=PRIMARY, zorder=2)
    main = ax.bar([x + w / 2 for x in xs], [d.main_count for d in items], width=w, color=ACCENT, zorder=2)
    top = max(d.count for d in items) or 1
    for x, d in zip(xs, items):
        ax.text(x - w / 2, d.count + top * 0.015, str(d.count), ha="center", va="bottom", fontsize=8.5)
        ax.text(x + w / 2, d.main_count + top * 0.015, str(d.main_count), ha="center", va="bottom", fontsize=8.5)
    ax.set_xticks(xs, [f"{wrap(d.category, 6)}\n（{wrap(d.main_subcategory, 7)}）" for d in items], fontsize=8.5)
    ax.set_ylim(0, top * 1.18)
    ax.yaxis.grid(True, color=GRID, linewidth=0.6, zorder=0)
    ax.tick_params(axis="y", labelsize=8)
    ax.legend([total, main], DISPATCH_LEGEND, frameon=False, fontsize=9, loc="upper right")
    return fig


def dissatisfied(r: M.Report):
    """图9: dissatisfied visits by topic."""
    return _table(DISSATISFIED_COLUMNS, [[s.label, str(s.count), pct(s.share)] for s in r.handling.dissatisfied_hot],
                  [0.5, 0.25, 0.25])


def overdue(r: M.Report):
    """图10: overdue tickets without feedback, by unit."""
    return _table(OVERDUE_COLUMNS, [[o.unit, str(o.count), o.topics] for o in r.handling.overdue_units],
                  [0.34, 0.18, 0.48])


def county_scores(r: M.Report):
    """图11: the county ranking (附件2): weighted part scores stacked, the total on top."""
    fig, axes = _figure(3.2)
    ax = axes[0][0]
    rows = r.annex2 or []
    if not rows or r.annex2_header is None:
        _empty(ax)
        return fig
    parts = r.annex2_header.parts
    xs = list(range(len(rows)))
    bottoms = [0.0] * len(rows)
    handles = []
    for k, p in enumerate(parts):
        vals = [row.parts[p.key] for row in rows]
        handles.append(ax.bar(xs, vals, bottom=bottoms, width=0.5, color=PALETTE[k % len(PALETTE)], zorder=2))
        for x, v, b in zip(xs, vals, bottoms):
            if v >= 6:
                ax.text(x, b + v / 2, score(v), ha="center", va="center", fontsize=8.5, color="white")
        bottoms = [b + v for b, v in zip(bottoms, vals)]
    top = max(row.total for row in rows) or 1
    for x, row in zip(xs, rows):
        ax.text(x, bottoms[x] + top * 0.015, f"{score(row.total)} 分", ha="center", va="bottom", fontsize=9.5)
    ax.set_xticks(xs, [f"第{row.rank}名\n{row.county}" for row in rows], fontsize=9.5)
    ax.set_ylim(0, top * 1.15)
    ax.set_ylabel("得分", fontsize=9)
    ax.yaxis.grid(True, color=GRID, linewidth=0.6, zorder=0)
    ax.tick_params(axis="y", labelsize=8)
    ax.legend(handles, [f"{p.label}（{p.weight:g}%）" for p in parts], frameon=False, fontsize=9,
              loc="lower center", bbox_to_anchor=(0.5, 1.02), ncol=len(parts))
    return fig


CHARTS: dict[str, Callable[[M.Report], object]] = {
    "by_type": by_type, "categories": categories, "subcategories": subcategories, "regions": regions,
    "units": units, "civility": civility, "online_hot": online_hot, "dispatch_hot": dispatch_hot,
    "dissatisfied": dissatisfied, "overdue": overdue, "county_scores": county_scores,
}
assert tuple(CHARTS) == FIGURES


MAX_WIDTH_MM = 150


def display_width_mm(png: bytes) -> float:
    """The width to print a chart at: its drawn size (pixels at DPI), at most the figure width."""
    pixels = int.from_bytes(png[16:20], "big")  # PNG IHDR width
    return round(min(MAX_WIDTH_MM, pixels / DPI * 25.4), 1)


def render_charts(report: M.Report, keys: list[str] | None = None) -> dict[str, bytes]:
    """PNG bytes of each chart (all of them, or those named)."""
    import matplotlib

    matplotlib.use("Agg", force=False)
    from matplotlib import rc_context

    out = {}
    with rc_context(_rc()):
        for key in keys if keys is not None else FIGURES:
            fig = CHARTS[key](report)
            out[key] = _png(fig)
    return out

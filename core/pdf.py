"""fpdf2 with the Unicode font shipped in core/fonts (DejaVu Sans), never a system font."""

from __future__ import annotations

from pathlib import Path

from fpdf import FPDF

FONT_DIR = Path(__file__).resolve().parent / "fonts"
FONT = "DejaVu"


class Document(FPDF):
    """An A4 portrait document with the shipped font registered and a page-number footer."""

    def __init__(self, footer_text: str = "") -> None:
        super().__init__(orientation="P", unit="mm", format="A4")
        self.add_font(FONT, "", str(FONT_DIR / "DejaVuSans.ttf"))
        self.add_font(FONT, "B", str(FONT_DIR / "DejaVuSans-Bold.ttf"))
        self.set_auto_page_break(auto=True, margin=18)
        self.set_margins(15, 15, 15)
        self.footer_text = footer_text
        self.set_font(FONT, size=10)

    def footer(self) -> None:
        self.set_y(-12)
        self.set_font(FONT, size=7)
        self.set_text_color(120)
        self.cell(0, 5, f"{self.footer_text}  ·  {self.page_no()}/{{nb}}", align="C")
        self.set_text_color(0)

    def heading(self, text: str, size: int = 14) -> None:
        self.set_font(FONT, "B", size)
        self.multi_cell(0, size * 0.5, text, new_x="LMARGIN", new_y="NEXT")
        self.set_font(FONT, size=10)
        self.ln(1)

    def table(self, headers: list[str], rows: list[list[str]], widths: list[float], aligns: str = "") -> None:
        """A simple bordered table; `aligns` holds one of L/R/C per column (default L)."""
        aligns = aligns or "L" * len(headers)
        self.set_font(FONT, "B", 8.5)
        self.set_fill_color(235, 239, 244)
        for header, width, align in zip(headers, widths, aligns, strict=True):
            size = 8.5
            while size > 5 and self.get_string_width(header) > width - 2:
                size -= 0.5
                self.set_font(FONT, "B", size)
            self.cell(width, 7, header, border=1, align=align, fill=True)
            self.set_font(FONT, "B", 8.5)
        self.ln()
        self.set_font(FONT, size=8.5)
        for row in rows:
            if self.will_page_break(6):
                self.add_page()
            for value, width, align in zip(row, widths, aligns, strict=True):
                self.cell(width, 6, str(value), border=1, align=align)
            self.ln()
        self.set_font(FONT, size=10)

    def output_bytes(self) -> bytes:
        return bytes(self.output())

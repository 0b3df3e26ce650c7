"""Parse the handout's own HTML into an ElementTree, several times faster than WeasyPrint does.

WeasyPrint parses with tinyhtml5, the whole HTML5 algorithm (implied and misnested tags, foster
parenting) for documents from anywhere: about 5 ms of each handout render. The handout comes
from one template that closes every element it opens and escapes every value, so the standard
library's tokenizer feeding an ElementTree builder gives the same tree in under 1 ms. An end tag
that does not close the open element is refused rather than guessed at. The tests in
tests/handout/test_render_shortcuts.py check that handouts drawn from this tree and from
tinyhtml5's are the same, pixel for pixel.
"""

from __future__ import annotations

from html.parser import HTMLParser
from xml.etree.ElementTree import Element, TreeBuilder

VOID_ELEMENTS = frozenset({
    "area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source",
    "track", "wbr",
})


class MarkupError(ValueError):
    """The HTML is not the closed, well-nested markup the handout template makes."""


class _TreeParser(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.builder = TreeBuilder()
        self.open_tags: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.builder.start(tag, {name: value or "" for name, value in attrs})
        if tag in VOID_ELEMENTS:
            self.builder.end(tag)
        else:
            self.open_tags.append(tag)

    def handle_endtag(self, tag: str) -> None:
        if tag in VOID_ELEMENTS:
            return
        if not self.open_tags or self.open_tags.pop() != tag:
            raise MarkupError(f"</{tag}> does not close the element open at that point")
        self.builder.end(tag)

    def handle_data(self, data: str) -> None:
        self.builder.data(data)


def parse(html: str) -> Element:
    """The root <html> element of a handout document."""
    parser = _TreeParser()
    parser.feed(html)
    parser.close()
    if parser.open_tags:
        raise MarkupError(f"<{parser.open_tags[-1]}> is never closed")
    root = parser.builder.close()
    if root.tag != "html":
        raise MarkupError("the document does not start with <html>")
    return root

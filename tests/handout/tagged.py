"""Read a tagged handout PDF back: its structure tree, the text of each tagged block, the
font size of every text run, its figures, and what lies outside the tree (the page margins).

pypdf's text visitors give each run's text and size; the marked-content operators (BDC/EMC)
around it give its MCID, which the structure tree maps to an element. Text whose MCID no
element in the tree reaches is not read by assistive technology that follows the tree.
"""

from __future__ import annotations

import io
import math
from dataclasses import dataclass, field

from pypdf import PdfReader
from pypdf.generic import ArrayObject, DictionaryObject, IndirectObject

#: Elements whose text is one unit of prose (a paragraph, a heading, a list item, a caption).
BLOCKS = {"/P", "/H1", "/H2", "/H3", "/H4", "/H5", "/H6", "/LBody", "/Caption"}


@dataclass
class Run:
    page: int
    mcid: int | None
    tag: str
    text: str
    size: float


@dataclass
class Element:
    role: str
    page: int | None
    alt: str | None
    lang: str | None
    kids: list[Element | tuple[int | None, int]] = field(default_factory=list)


@dataclass
class TaggedPdf:
    pages: int
    lang: str
    runs: list[Run]
    root: Element

    def text_of(self, element: Element) -> str:
        """All text under an element, in tree order."""
        texts = self._texts()
        parts: list[str] = []
        for kid in element.kids:
            if isinstance(kid, Element):
                parts.append(self.text_of(kid))
            else:
                parts.append(texts.get(kid, ""))
        return "".join(parts)

    def _texts(self) -> dict[tuple[int | None, int], str]:
        if not hasattr(self, "_cache"):
            cache: dict[tuple[int | None, int], str] = {}
            for run in self.runs:
                if run.mcid is not None:
                    key = (run.page, run.mcid)
                    cache[key] = cache.get(key, "") + run.text
            self._cache = cache
        return self._cache

    def elements(self, element: Element | None = None):
        """Every element of the tree, depth first."""
        element = element or self.root
        yield element
        for kid in element.kids:
            if isinstance(kid, Element):
                yield from self.elements(kid)

    def reachable(self) -> set[tuple[int | None, int]]:
        return {kid for e in self.elements() for kid in e.kids if not isinstance(kid, Element)}

    def blocks(self) -> list[str]:
        """The text of each prose block (paragraph, heading, list item, caption), in order."""
        return [" ".join(self.text_of(e).split()) for e in self.elements() if e.role in BLOCKS]

    def figures(self) -> list[Element]:
        return [e for e in self.elements() if e.role == "/Figure"]

    def outside_tree(self) -> list[Run]:
        """Text runs the structure tree does not reach (artifacts or unlinked margin boxes)."""
        reach = self.reachable()
        return [r for r in self.runs if r.text.strip() and (r.page, r.mcid) not in reach]


def read(pdf: bytes) -> TaggedPdf:
    reader = PdfReader(io.BytesIO(pdf))
    runs: list[Run] = []
    for index, page in enumerate(reader.pages):
        stack: list[tuple[str, int | None]] = []

        def before(op, args, cm, tm, stack=stack):
            if op == b"BDC":
                props = args[1] if len(args) > 1 else None
                mcid = props.get("/MCID") if isinstance(props, DictionaryObject) else None
                stack.append((str(args[0]), None if mcid is None else int(mcid)))
            elif op == b"BMC":
                stack.append((str(args[0]), None))
            elif op == b"EMC" and stack:
                stack.pop()

        def visit(text, cm, tm, font, size, stack=stack, index=index):
            if not text:
                return
            tag, mcid = stack[-1] if stack else ("", None)
            scale = math.hypot(tm[2], tm[3]) * math.hypot(cm[2], cm[3])
            runs.append(Run(index, mcid, tag, text, size * scale))

        page.extract_text(visitor_operand_before=before, visitor_text=visit)
    root_dict = reader.trailer["/Root"]
    page_numbers = {p.indirect_reference.idnum: i for i, p in enumerate(reader.pages)}
    tree = root_dict["/StructTreeRoot"].get_object()
    root = Element("/StructTreeRoot", None, None, None)
    _walk(tree.get("/K"), root, None, page_numbers)
    return TaggedPdf(len(reader.pages), str(root_dict.get("/Lang", "")), runs, root)


def _walk(node, parent: Element, page: int | None, page_numbers: dict[int, int]) -> None:
    if isinstance(node, IndirectObject):
        node = node.get_object()
    if node is None:
        return
    if isinstance(node, ArrayObject):
        for kid in node:
            _walk(kid, parent, page, page_numbers)
    elif isinstance(node, DictionaryObject):
        if "/Pg" in node:
            page = page_numbers.get(node.raw_get("/Pg").idnum, page)
        if node.get("/Type") == "/MCR":
            parent.kids.append((page, int(node["/MCID"])))
            return
        if node.get("/Type") == "/OBJR":
            return
        element = Element(str(node.get("/S")), page,
                          str(node["/Alt"]) if "/Alt" in node else None,
                          str(node["/Lang"]) if "/Lang" in node else None)
        parent.kids.append(element)
        _walk(node.get("/K"), element, page, page_numbers)
    else:
        parent.kids.append((page, int(node)))

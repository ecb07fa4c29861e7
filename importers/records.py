"""READ other programs' record exports: JSON lists of objects and XML documents of repeated records, each
flattened into one table (nested fields as columns named by their path)."""

from __future__ import annotations

import json
import re

from importers.detect import shape as _shape
from importers.table import Table, UnreadableFile
from importers.table import cell_text as _cell_text


def _flatten(record: dict, prefix: str = "") -> dict[str, str]:
    flat: dict[str, str] = {}
    for key, value in record.items():
        name = f"{prefix}{key}"
        if isinstance(value, dict):
            flat.update(_flatten(value, f"{name}."))
        elif isinstance(value, list):
            flat[name] = "; ".join(json.dumps(v, ensure_ascii=False) if isinstance(v, (dict, list)) else _cell_text(v)
                                   for v in value)  # fmt: skip
        else:
            flat[name] = _cell_text(value)
    return flat


def _records_table(records: list[dict], source: str, kind: str, encoding: str | None) -> Table:
    flat = [_flatten(r) for r in records]
    header = list(dict.fromkeys(k for r in flat for k in r))
    table = Table(source=source, file_kind=kind, encoding=encoding)
    return _shape(table, [header] + [[r.get(h, "") for h in header] for r in flat])


def read_json(document, name: str, encoding: str) -> list[Table]:
    """Every list of objects becomes a table; API samples ({"...": {"data": {...}}}) give one of records."""
    lists: list[tuple[str, list[dict]]] = []
    singles: list[dict] = []

    def walk(node, path):
        if isinstance(node, list) and node and all(isinstance(x, dict) for x in node):
            lists.append((path, node))
        elif isinstance(node, dict):
            if isinstance(node.get("data"), dict):
                singles.append(node["data"])
            for key, value in node.items():
                if key != "data" or not isinstance(value, dict):
                    walk(value, f"{path}/{key}")

    walk(document, "")
    tables = [_records_table(rows, f"{name}#{path.strip('/') or 'records'}", "json", encoding) for path, rows in lists]
    if singles:
        tables.append(_records_table(singles, f"{name}#records", "json", encoding))
    if not tables:
        raise UnreadableFile("import.read.unsupported", file=name)
    return tables


def read_xml_records(text: str, name: str, encoding: str) -> list[Table]:
    """XML exports of other programs (e.g. Danea Easyfatt .DefXml): the repeated element whose children are
    all leaves is the record; DTDs and entities are refused."""
    from defusedxml import DefusedXmlException
    from defusedxml.ElementTree import fromstring

    text = re.sub(r"^\s*<\?xml[^>]*\?>", "", text)
    try:
        root = fromstring(text, forbid_dtd=True)
    except DefusedXmlException as exc:
        raise UnreadableFile("import.xml.unsafe", file=name) from exc
    except Exception as exc:  # ParseError
        raise UnreadableFile("import.xml.malformed", file=name) from exc

    def local(tag):
        return tag.rsplit("}", 1)[-1]

    counts: dict[str, list] = {}
    for element in root.iter():
        children = list(element)
        if len(children) >= 2 and sum(1 for c in children if len(c) == 0) >= len(children) * 0.6:
            counts.setdefault(local(element.tag), []).append(element)
    if not counts:
        raise UnreadableFile("import.xml.not_fatturapa", file=name)
    # a record holds its nested parts (a document's lines): those inside another record are not records
    parents = {child: parent for parent in root.iter() for child in parent}
    found = {id(e) for elements in counts.values() for e in elements}

    def inside_record(element) -> bool:
        parent = parents.get(element)
        while parent is not None and id(parent) not in found:
            parent = parents.get(parent)
        return parent is not None

    counts = {
        tag: outer for tag, elements in counts.items() if (outer := [e for e in elements if not inside_record(e)])
    }
    tag, elements = max(counts.items(), key=lambda kv: (len(kv[1]), len(kv[1][0])))
    if len(elements) < 1 or (tag in ("Company",) and len(counts) > 1):
        raise UnreadableFile("import.xml.not_fatturapa", file=name)

    def leaves(element, prefix=""):
        """(path, text) of every leaf below `element`, paths from it ("Itens.Item.ValorTotal")."""
        for child in element:
            path = f"{prefix}{local(child.tag)}"
            if len(child) == 0:
                yield path, (child.text or "").strip()
            else:
                yield from leaves(child, f"{path}.")

    records = []
    for element in elements:  # nested fields too (a document's lines, an RPS's items): nothing is left out
        record: dict[str, str] = {}
        for path, text in leaves(element):
            before = record.get(path)
            record[path] = text if not before else f"{before}; {text}" if text else before  # each line's value
        records.append(record)
    return [_records_table(records, f"{name}#{tag}", "xml", encoding)]

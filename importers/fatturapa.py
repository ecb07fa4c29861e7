"""Italian e-invoices (FatturaPA FPA12/FPR12 and the simplified FSM10) that a practice issued: the buyer's
card and the invoice history, one `Invoice` per FatturaElettronicaBody.

Elements are matched by local name, so any namespace prefix (or a broken default namespace) works. DTDs and
entities are refused. Signed `.p7m` envelopes are opened without checking the signature.
"""

from __future__ import annotations

import base64
import datetime
import re
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from pathlib import Path

from core.errors import CodedError

SPECS = Path(__file__).resolve().parents[2] / "shared" / "specs" / "fatturapa"
SCHEMAS_AVAILABLE = SPECS.is_dir()


class FatturaPAError(CodedError):
    """`code` is a message key; `params` fill it."""


@dataclass
class Invoice:
    source: str
    format: str
    document_type: str
    number: str
    date: datetime.date
    currency: str
    net: Decimal
    vat: Decimal
    total: Decimal
    stamp_duty: Decimal = Decimal(0)
    withholding: Decimal = Decimal(0)
    due_dates: list[tuple[datetime.date, Decimal]] = field(default_factory=list)
    causale: str = ""
    client: dict = field(default_factory=dict)
    supplier: dict = field(default_factory=dict)
    warnings: list[str] = field(default_factory=list)


def looks_like_fatturapa(data: bytes) -> bool:
    return b"FatturaElettronica" in data[:300_000]


def unwrap_p7m(data: bytes) -> bytes:
    """The XML inside a CAdES/PKCS#7 envelope (DER or base64 of DER)."""
    raw = data
    if raw.lstrip()[:1] not in (b"\x30",):
        try:
            raw = base64.b64decode(b"".join(data.split()), validate=False)
        except ValueError as exc:
            raise FatturaPAError("import.p7m.unreadable") from exc
    start = raw.find(b"<?xml")
    if start < 0:
        match = re.search(rb"<([\w-]+:)?FatturaElettronica", raw)
        start = match.start() if match else -1
    ends = list(re.finditer(rb"</([\w-]+:)?FatturaElettronica(Semplificata)?\s*>", raw))
    end_match = ends[-1] if ends else None
    if start < 0 or end_match is None:
        raise FatturaPAError("import.p7m.unreadable")
    content = raw[start : end_match.end()]
    # long contents are split into chunks of an indefinite-length OCTET STRING: drop the chunk headers
    return re.sub(rb"\x04\x82..(?=[^<]*?)", b"", content, flags=re.S) if b"\x04\x82" in content else content


def _decode(data: bytes) -> str:
    """Text of the document. A file that declares a single-byte encoding but is valid UTF-8 is UTF-8."""
    if data.startswith(b"\xef\xbb\xbf"):
        return data[3:].decode("utf-8")
    match = re.match(rb"\s*<\?xml[^>]*encoding=[\"']([\w.-]+)[\"']", data)
    declared = match.group(1).decode().lower() if match else "utf-8"
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        try:
            return data.decode(declared if declared not in ("utf-8", "utf8") else "cp1252")
        except (LookupError, UnicodeDecodeError):
            return data.decode("cp1252", errors="replace")


def _parse_xml(data: bytes, source: str):
    from defusedxml import DefusedXmlException
    from defusedxml.ElementTree import fromstring

    text = _decode(data)
    text = re.sub(r"^\s*<\?xml[^>]*\?>", "", text)  # the declaration's encoding no longer applies
    try:
        return fromstring(text, forbid_dtd=True, forbid_entities=True, forbid_external=True)
    except DefusedXmlException as exc:
        raise FatturaPAError("import.xml.unsafe", file=source) from exc
    except Exception as exc:  # xml.etree.ElementTree.ParseError
        raise FatturaPAError("import.xml.malformed", file=source, reason=str(exc)) from exc


def _local(tag) -> str:
    return tag.rsplit("}", 1)[-1] if isinstance(tag, str) else ""


def _find(node, *path):
    """First descendant following the local names in `path` (each step searched at any depth below)."""
    for name in path:
        if node is None:
            return None
        node = next((e for e in node.iter() if e is not node and _local(e.tag) == name), None)
    return node


def _child(node, name):
    return next((e for e in node if _local(e.tag) == name), None) if node is not None else None


def _text(node, *path) -> str:
    found = _find(node, *path) if path else node
    return " ".join((found.text or "").split()) if found is not None and found.text else ""


def _all(node, name):
    return [e for e in node.iter() if _local(e.tag) == name] if node is not None else []


def _amount(text: str) -> Decimal:
    try:
        return Decimal(text.strip()) if text and text.strip() else Decimal(0)
    except InvalidOperation:
        return Decimal(0)


def _date(text: str) -> datetime.date | None:
    match = re.match(r"(\d{4})-(\d{2})-(\d{2})", text or "")
    return datetime.date(*map(int, match.groups())) if match else None


def _party(node, *, header_code: str, pec: str, pa: bool) -> dict:
    """Card fields of the buyer (CessionarioCommittente)."""
    anagrafica = _find(node, "Anagrafica")
    id_iva = _find(node, "IdFiscaleIVA")
    country = _text(id_iva, "IdPaese") if id_iva is not None else ""
    vat = _text(id_iva, "IdCodice") if id_iva is not None else ""
    if country and vat.upper().startswith(country.upper()):
        vat = vat[len(country) :]
    first, last = _text(anagrafica, "Nome"), _text(anagrafica, "Cognome")
    company = _text(anagrafica, "Denominazione")
    if anagrafica is None:  # FSM10: the buyer's data sit directly in IdentificativiFiscali / AltriDatiIdentificativi
        first, last, company = _text(node, "Nome"), _text(node, "Cognome"), _text(node, "Denominazione")
    tax = _text(node, "CodiceFiscale")
    sede = _find(node, "Sede")
    street = " ".join(p for p in (_text(sede, "Indirizzo"), _text(sede, "NumeroCivico")) if p)
    if pa:
        kind = "public_administration"
    elif company or vat:
        kind = "company"
    else:
        kind = "private"
    nation = _text(sede, "Nazione") or country or "IT"
    return {
        "kind": kind, "first_name": first, "last_name": last, "company_name": company, "tax_code": tax,
        "vat_country": country or nation, "vat_number": vat, "sdi_code": "" if header_code in ("", "0000000") and kind == "private" else header_code,
        "pec": pec, "street": street, "postal_code": _text(sede, "CAP"), "city": _text(sede, "Comune"),
        "province": "" if _text(sede, "Provincia") == "EE" else _text(sede, "Provincia"), "country": nation,
    }  # fmt: skip


def _warnings(client: dict) -> list[str]:
    lossy = "?" in client["company_name"] + client["last_name"] + client["city"]
    return ["The buyer's name or address has '?' where characters were lost by the sender."] if lossy else []


def parse(data: bytes, source: str = "") -> list[Invoice]:
    """One Invoice per body. Raises FatturaPAError with a message key for anything that is not one."""
    if not data or not data.strip():
        raise FatturaPAError("import.read.empty", file=source)
    if not data.removeprefix(b"\xef\xbb\xbf").lstrip().startswith(b"<"):
        data = unwrap_p7m(data)
    root = _parse_xml(data, source)
    name = _local(root.tag)
    if name not in ("FatturaElettronica", "FatturaElettronicaSemplificata"):
        raise FatturaPAError("import.xml.not_fatturapa", file=source)
    simplified = name == "FatturaElettronicaSemplificata"
    header = _child(root, "FatturaElettronicaHeader")
    bodies = [e for e in root if _local(e.tag) == "FatturaElettronicaBody"]
    if header is None or not bodies:
        raise FatturaPAError("import.xml.no_body", file=source)
    transmission = _find(header, "DatiTrasmissione")
    fmt = _text(transmission, "FormatoTrasmissione") or ("FSM10" if simplified else "FPR12")
    buyer = _child(header, "CessionarioCommittente")
    client = _party(buyer, header_code=_text(transmission, "CodiceDestinatario"),
                    pec=_text(transmission, "PECDestinatario"), pa=fmt == "FPA12")  # fmt: skip
    seller = _child(header, "CedentePrestatore")
    supplier = {
        "name": _text(seller, "Denominazione") or " ".join(p for p in (_text(seller, "Nome"), _text(seller, "Cognome")) if p),
        "vat_number": _text(_find(seller, "IdFiscaleIVA"), "IdCodice"), "tax_code": _text(seller, "CodiceFiscale"),
        "regime": _text(seller, "RegimeFiscale"),
    }  # fmt: skip
    invoices = []
    for body in bodies:
        general = _find(body, "DatiGeneraliDocumento")
        issued = _date(_text(general, "Data"))
        if general is None or issued is None:
            raise FatturaPAError("import.xml.no_body", file=source)
        if simplified:
            lines = _all(body, "DatiBeniServizi")
            total = sum((_amount(_text(x, "Importo")) for x in lines), Decimal(0))
            vat = sum((_amount(_text(x, "Imposta")) for x in _all(body, "DatiIVA")), Decimal(0))
            net = total - vat
        else:
            summaries = _all(body, "DatiRiepilogo")
            net = sum((_amount(_text(x, "ImponibileImporto")) for x in summaries), Decimal(0))
            vat = sum((_amount(_text(x, "Imposta")) for x in summaries), Decimal(0))
            stated = _text(general, "ImportoTotaleDocumento")
            stamp = _amount(_text(_find(general, "DatiBollo"), "ImportoBollo"))
            total = _amount(stated) if stated else net + vat + stamp
        due = [
            (_date(_text(d, "DataScadenzaPagamento")), _amount(_text(d, "ImportoPagamento")))
            for d in _all(body, "DettaglioPagamento")
        ]
        invoices.append(
            Invoice(
                source=source,
                format=fmt,
                document_type=_text(general, "TipoDocumento"),
                number=_text(general, "Numero"),
                date=issued,
                currency=_text(general, "Divisa") or "EUR",
                net=net,
                vat=vat,
                total=total,
                stamp_duty=_amount(_text(_find(general, "DatiBollo"), "ImportoBollo")),
                withholding=sum(
                    (_amount(_text(r, "ImportoRitenuta")) for r in _all(general, "DatiRitenuta")), Decimal(0)
                ),
                due_dates=[(d, a) for d, a in due if d],
                causale=" ".join(_text(c) for c in _all(general, "Causale")),
                client=dict(client),
                supplier=supplier,
                warnings=_warnings(client),
            )
        )
    return invoices


def validate_schema(data: bytes) -> list[str]:
    """Problems found by the official XSD (FPA12/FPR12 1.2.2 or FSM10); [] when valid or when the schemas
    are not available (../shared absent)."""
    if not SCHEMAS_AVAILABLE:
        return []

    if not data.removeprefix(b"\xef\xbb\xbf").lstrip().startswith(b"<"):
        data = unwrap_p7m(data)
    root = _parse_xml(data, "")  # parsed safely here: the validator never sees entities or DTDs
    simplified = _local(root.tag) == "FatturaElettronicaSemplificata"
    schema = _schema("Schema_VFSM10.xsd" if simplified else "Schema_del_file_xml_FatturaPA_v1.2.2.xsd")
    return [f"{e.path}: {e.reason}" for e in schema.iter_errors(root)][:50]


_SCHEMAS: dict = {}


def _schema(name: str):
    import xmlschema

    if name not in _SCHEMAS:
        locations = {"http://www.w3.org/2000/09/xmldsig#": str(SPECS / "xmldsig-core-schema.xsd")}
        _SCHEMAS[name] = xmlschema.XMLSchema(str(SPECS / name), locations=locations, allow="local")
    return _SCHEMAS[name]

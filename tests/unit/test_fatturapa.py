# Italian e-invoices: the buyer's card and the invoice history, from every real sample; unsafe XML refused.
import datetime
from decimal import Decimal
from pathlib import Path

import pytest

from importers import fatturapa as F

SAMPLES = Path(__file__).resolve().parents[3] / "shared" / "samples" / "fatturapa"
needs_samples = pytest.mark.skipif(not SAMPLES.is_dir(), reason="../shared/samples is not present on this machine")

# file: [(number, date, net, vat, total, withholding, kind, name, tax_code, vat_number, sdi, pec, city)]
EXPECTED = {
    "IT01234567890_FPA01.xml": [("123", "2017-01-18", "5.00", "1.10", "6.10", "0", "public_administration",
                                 "AMMINISTRAZIONE BETA", "09876543210", "", "AAAAAA", "", "ROMA")],
    "IT01234567890_FPA03.xml": [("12", "2017-01-18", "25.00", "5.50", "30.50", "0", "public_administration",
                                 "AMMINISTRAZIONE BETA", "09876543210", "", "AAAAAA", "", "ROMA"),
                                ("456", "2017-01-20", "2000.00", "440.00", "2440.00", "0", "public_administration",
                                 "AMMINISTRAZIONE BETA", "09876543210", "", "AAAAAA", "", "ROMA")],
    "IT01234567890_FPR01.xml": [("123", "2014-12-18", "5.00", "1.10", "6.10", "0", "company", "DITTA BETA",
                                 "09876543210", "", "ABC1234", "", "ROMA")],
    "IT01234567890_FPR02.xml": [("123", "2014-12-18", "25.00", "5.50", "30.50", "0", "company", "BETA GAMMA",
                                 "09876543210", "", "0000000", "betagamma@pec.it", "ROMA")],
    "IT01234567890_FPR13.xml": [("FPR 16/20", "2020-09-30", "15600.00", "3432.00", "19032.00", "3120.00", "company",
                                 "B2B Customer", "07973780013", "07973780013", "0000000", "test@pec.it", "Genova")],
    "IT02780790107_11009.xml": [("16", "2022-07-16", "272.23", "0", "272.23", "0", "company", "ROSSI SPA",
                                 "05979361218", "05979361218", "0000000", "fatture55@pec.it", "Varese")],
    "IT06363391001_00011.xml": [("INV/2018/0011", "2018-01-07", "14.00", "3.08", "17.08", "0", "company",
                                 "REMODELAÇÃO DECORAÇÃO ?ALEC LDA?", "", "12345679", "XXXXXXX", "", "?of?a")],
    "IT06363391001_00016.xml": [("INV/2021/12/0001", "2021-12-16", "14.00", "2.10", "16.10", "0", "private",
                                 "Customer IT B2C", "RSSMRA30A01H501I", "", "", "", "Milano")],
    "IT08973230967_6zZcm.xml": [("IT23-94115I-790", "2023-08-07", "23.27", "5.12", "28.40", "0", "company",
                                 "SOCIETA' ALPHA SRL", "", "02780790107", "USAL8PV", "", "SASSARI")],
    "ZGEXQROO37831_anonimizzata.xml": [("17606", "2022-03-10", "90.00", "19.80", "109.80", "0", "company",
                                        "Mkt s.r.l.", "11531111117", "11531111117", "0000000", "", "Milano")],
    "gobl_invoice-irpef.xml": [("SAMPLE-001", "2023-03-02", "1720.00", "356.40", "1026.74", "374.00", "private",
                                "LEONI MARIO", "MRALNE80E05H501C", "", "ABCDEF1", "", "FIRENZE")],
    "gobl_invoice-windows1252.xml": [("1", "2025-01-23", "138.64", "30.50", "169.14", "0", "company", "MARIO LEONI",
                                      "09876543217", "09876543217", "0000000", "test@pec.it", "ROMA")],
}  # fmt: skip


def summary(invoice: F.Invoice) -> tuple:
    c = invoice.client
    name = c["company_name"] or f"{c['last_name']} {c['first_name']}".strip()
    return (invoice.number, invoice.date.isoformat(), str(invoice.net), str(invoice.vat), str(invoice.total),
            str(invoice.withholding), c["kind"], name, c["tax_code"], c["vat_number"], c["sdi_code"], c["pec"],
            c["city"])  # fmt: skip


@needs_samples
@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_real_invoices(name):
    invoices = F.parse((SAMPLES / name).read_bytes(), name)
    assert [summary(i) for i in invoices] == EXPECTED[name]


@needs_samples
def test_every_sample_parses_or_says_why():
    for path in sorted(SAMPLES.iterdir()):
        if "bad" in path.name:
            with pytest.raises(F.FatturaPAError) as info:
                F.parse(path.read_bytes(), path.name)
            assert info.value.code == "import.xml.no_body"
        else:
            invoices = F.parse(path.read_bytes(), path.name)
            assert invoices and all(isinstance(i.total, Decimal) and i.number for i in invoices)


@needs_samples
def test_details_a_person_reads_in_the_files():
    irpef = F.parse((SAMPLES / "gobl_invoice-irpef.xml").read_bytes())[0]
    assert irpef.document_type == "TD06" and irpef.stamp_duty == Decimal("12.34")
    fsm = F.parse((SAMPLES / "IT02780790107_11009.xml").read_bytes())[0]
    assert (fsm.format, fsm.document_type) == ("FSM10", "TD07")
    due = F.parse((SAMPLES / "IT05979361218_007.xml").read_bytes())[0].due_dates
    assert due and due[0][0] == datetime.date(2015, 6, 3)
    slovenian = F.parse((SAMPLES / "IT06363391001_00011.xml").read_bytes())[0]
    assert (slovenian.client["vat_country"], slovenian.client["province"], slovenian.client["country"]) == (
        "SI",
        "",
        "SI",
    )
    assert slovenian.warnings
    assert F.parse((SAMPLES / "gobl_invoice-windows1252.xml").read_bytes())[0].supplier["name"] == "MªF. Services"
    assert F.parse((SAMPLES / "IT08973230967_6zZcm.xml").read_bytes())[0].supplier["name"]


@needs_samples
@pytest.mark.parametrize(
    ("name", "valid"),
    [("IT01234567890_FPA01.xml", True), ("IT01234567890_FPR01.xml", True), ("IT02780790107_11009.xml", True),
     ("ZGEXQROO37831_anonimizzata.xml", False), ("IT01234567890_FPA01_bad_header_only.xml", False)],
)  # fmt: skip
def test_schema_validation(name, valid):
    assert (F.validate_schema((SAMPLES / name).read_bytes()) == []) is valid


@needs_samples
def test_a_tampered_invoice_fails_the_schema():
    data = (SAMPLES / "IT01234567890_FPR01.xml").read_bytes().replace(b"<Divisa>EUR</Divisa>", b"<Divisa>EURO</Divisa>")
    assert any("Divisa" in p for p in F.validate_schema(data))


MINIMAL = b"""<?xml version="1.0" encoding="UTF-8"?>
<p:FatturaElettronica versione="FPR12" xmlns:p="http://ivaservizi.agenziaentrate.gov.it/docs/xsd/fatture/v1.2">
<FatturaElettronicaHeader><DatiTrasmissione><FormatoTrasmissione>FPR12</FormatoTrasmissione>
<CodiceDestinatario>0000000</CodiceDestinatario></DatiTrasmissione>
<CessionarioCommittente><DatiAnagrafici><CodiceFiscale>BNCGLI87D52H501V</CodiceFiscale><Anagrafica><Nome>Giulia</Nome>
<Cognome>Bianchi</Cognome></Anagrafica></DatiAnagrafici><Sede><Indirizzo>Via Merulana</Indirizzo><NumeroCivico>120</NumeroCivico>
<CAP>00185</CAP><Comune>Roma</Comune><Provincia>RM</Provincia><Nazione>IT</Nazione></Sede></CessionarioCommittente>
</FatturaElettronicaHeader><FatturaElettronicaBody><DatiGenerali><DatiGeneraliDocumento><TipoDocumento>TD01</TipoDocumento>
<Divisa>EUR</Divisa><Data>2026-03-02</Data><Numero>2026/0007</Numero></DatiGeneraliDocumento></DatiGenerali>
<DatiBeniServizi><DatiRiepilogo><ImponibileImporto>70.00</ImponibileImporto><Imposta>0.00</Imposta></DatiRiepilogo>
</DatiBeniServizi></FatturaElettronicaBody></p:FatturaElettronica>"""


def test_minimal_private_invoice():
    invoice = F.parse(MINIMAL, "mine.xml")[0]
    assert (invoice.number, invoice.total, invoice.client["kind"]) == ("2026/0007", Decimal("70.00"), "private")
    assert invoice.client["street"] == "Via Merulana 120" and invoice.client["sdi_code"] == ""


def _der_length(n: int) -> bytes:
    if n < 128:
        return bytes([n])
    body = n.to_bytes((n.bit_length() + 7) // 8, "big")
    return bytes([0x80 | len(body)]) + body


def _tlv(tag: int, content: bytes) -> bytes:
    return bytes([tag]) + _der_length(len(content)) + content


def _p7m(xml: bytes, chunked: bool) -> bytes:
    """A CMS SignedData envelope around `xml` (enough structure for a reader; no real signature)."""
    oid_data = _tlv(0x06, bytes.fromhex("2a864886f70d010701"))
    if chunked:  # indefinite-length constructed OCTET STRING in 1000-byte chunks, as many signers write it
        chunks = b"".join(b"\x04\x82" + len(xml[i : i + 1000]).to_bytes(2, "big") + xml[i : i + 1000]
                          for i in range(0, len(xml), 1000))  # fmt: skip
        content = b"\xa0\x80\x24\x80" + chunks + b"\x00\x00\x00\x00"
    else:
        content = _tlv(0xA0, _tlv(0x04, xml))
    encap = _tlv(0x30, oid_data + content)
    signed = _tlv(0x30, _tlv(0x02, b"\x01") + _tlv(0x31, b"") + encap + _tlv(0x31, b""))
    return _tlv(0x30, _tlv(0x06, bytes.fromhex("2a864886f70d010702")) + _tlv(0xA0, signed))


@pytest.mark.parametrize("chunked", [False, True])
def test_p7m_is_unwrapped(chunked):
    xml = MINIMAL.replace(b"<Numero>2026/0007</Numero>", b"<Numero>2026/0007</Numero>" + b"<!-- pad -->" * 200)
    envelope = _p7m(xml, chunked)
    assert F.unwrap_p7m(envelope) == xml
    import base64

    assert F.unwrap_p7m(base64.encodebytes(envelope)) == xml
    assert F.parse(envelope, "x.xml.p7m")[0].number == "2026/0007"


@pytest.mark.parametrize(
    ("data", "code"),
    [
        (b"", "import.read.empty"),
        (b"<?xml version='1.0'?><!DOCTYPE lolz [<!ENTITY lol 'lol'><!ENTITY lol2 '&lol;&lol;&lol;&lol;'>]>"
         b"<FatturaElettronica>&lol2;</FatturaElettronica>", "import.xml.unsafe"),
        (b"<?xml version='1.0'?><!DOCTYPE x [<!ENTITY xxe SYSTEM 'file:///etc/passwd'>]>"
         b"<FatturaElettronica>&xxe;</FatturaElettronica>", "import.xml.unsafe"),
        (b"<FatturaElettronica><unclosed>", "import.xml.malformed"),
        (b"<Other><a>1</a></Other>", "import.xml.not_fatturapa"),
        (b"\x30\x82\x01\x00garbage without xml", "import.p7m.unreadable"),
    ],
)  # fmt: skip
def test_bad_documents_get_a_code_never_a_crash(data, code):
    with pytest.raises(F.FatturaPAError) as info:
        F.parse(data, "x.xml")
    assert info.value.code == code

"""What a source column can become: card fields, invoice-history fields and the special splitters.

Header synonyms in Italian, English, Portuguese and Spanish are compared after folding (lower case, no
accents, only letters and digits), so "Città", "citta" and "CITTA'" are the same header.
"""

from __future__ import annotations

import re

from core.search import fold

# Special targets: a column that holds more than one field, or that is kept rather than mapped.
FULL_NAME_LAST_FIRST = "full_name_last_first"  # "Rossi Mario" / "Cognome Nome"
FULL_NAME_FIRST_LAST = "full_name_first_last"  # "Mario Rossi" / "Nome completo"
TAX_OR_VAT = "tax_or_vat"  # "CF / P.IVA": either, told apart by its value
FULL_ADDRESS = "full_address"  # "Via Roma 1, 00184 Roma (RM)"
KIND = "kind"  # Privato / Azienda / PA / person / company
NOTES = "notes"
CUSTOM = "custom"  # kept as a custom field on the card
IGNORE = "ignore"  # only when the user says so; never by default

FLAG_TARGETS = ("active", "attention", "no_reminders", "ts_opposition", "psych_bonus")
REVIEW = "review_reason"  # a reason to review the card, carried over from the source
CUSTOM_JSON = "custom_json"  # Cartella's own export: the kept columns, as JSON
CARD_TARGETS = (
    "first_name", "last_name", "company_name", "tax_code", "vat_country", "vat_number", "sdi_code", "pec", "emails",
    "phones", "street", "postal_code", "city", "province", "country", "birth_date", "birth_place", "tags", KIND,
    *FLAG_TARGETS, REVIEW,
)  # fmt: skip
SPLIT_TARGETS = (FULL_NAME_LAST_FIRST, FULL_NAME_FIRST_LAST, TAX_OR_VAT, FULL_ADDRESS, CUSTOM_JSON)
INVOICE_TARGETS = (
    "invoice_number", "invoice_date", "invoice_client", "invoice_net", "invoice_vat", "invoice_total", "invoice_paid_date",
    "payment_amount",
)  # fmt: skip
ALL_TARGETS = (*CARD_TARGETS, *SPLIT_TARGETS, *INVOICE_TARGETS, NOTES, CUSTOM, IGNORE)


def header_key(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "", fold(text or ""))


_SYNONYMS: dict[str, list[str]] = {
    "first_name": ["nome", "first name", "firstname", "given name", "contact first name", "nombre", "primeiro nome",
                   "nome proprio", "first", "prenome"],
    "last_name": ["cognome", "last name", "lastname", "surname", "family name", "contact last name", "apellido",
                  "apellidos", "sobrenome", "last"],
    "company_name": ["ragione sociale", "denominazione", "company", "company name", "organization", "organisation",
                     "azienda", "societa", "empresa", "razon social", "razao social", "nome empresa", "business name",
                     "customer name", "client name", "cliente", "name", "display name", "displayname"],
    FULL_NAME_LAST_FIRST: ["cognome nome", "cognome e nome", "nominativo", "apellidos y nombre", "apellido nombre",
                           "paziente", "intestatario"],
    FULL_NAME_FIRST_LAST: ["nome cognome", "nome e cognome", "nome completo", "full name", "fullname", "contact name",
                           "nombre completo", "nome completo do cliente"],
    "tax_code": ["codice fiscale", "cod fiscale", "cf", "cod fisc", "c f", "fiscal code", "tax code", "tax id",
                 "taxid", "cpf", "cnpj", "cpf cnpj", "nif", "nie", "dni", "nif nie", "cuit", "rut", "rfc",
                 "id number", "tax_code"],
    "vat_number": ["partita iva", "p iva", "piva", "p iva", "partitaiva", "vat", "vat number", "vat no", "vat id",
                   "vat_number", "numero iva", "nif iva", "cif", "cif nif", "vat reg no", "id fiscale iva"],
    TAX_OR_VAT: ["cf piva", "cf p iva", "codice fiscale partita iva", "partita iva codice fiscale", "piva cf",
                 "cod fiscale p iva", "cf iva"],
    FULL_ADDRESS: ["indirizzo completo", "full address", "complete address", "direccion completa", "endereco completo",
                   "indirizzo cap citta", "recapito"],
    "sdi_code": ["codice destinatario", "codice sdi", "sdi", "cod destinatario", "codice univoco", "codice ufficio",
                 "codice univoco ufficio", "recipient code", "ei code", "ei_code", "sdi code"],
    "pec": ["pec", "email pec", "indirizzo pec", "posta certificata", "certified email", "certified_email", "pec email"],
    "emails": ["email", "e mail", "mail", "email address", "indirizzo email", "posta elettronica", "correo",
               "correo electronico", "primary email", "secondary email", "email home", "email work", "email other",
               "emailid", "email 1 value", "email 2 value", "email 3 value", "email 4 value", "e mail 1 value",
               "e mail 2 value", "e mail 3 value", "e mail 4 value", "emailrecipient", "email recipient", "e mail address"],
    "phones": ["telefono", "tel", "cellulare", "cell", "mobile", "phone", "phone number", "telephone", "telefone",
               "celular", "movil", "home phone", "work phone", "business phone", "mobile number", "mobilephone",
               "primary phone", "home mobile", "phone 1 value", "phone 2 value", "phone 3 value", "numero di telefono",
               "billing phone", "telefono 1", "telefono 2", "tel cellulare", "whatsapp"],
    "street": ["indirizzo", "via", "address", "street", "address line 1", "address 1", "billing street",
               "billing address", "home street", "home address", "business street", "direccion", "endereco",
               "logradouro", "address1", "street address", "sede legale", "indirizzo residenza"],
    "postal_code": ["cap", "c a p", "postal code", "postcode", "zip", "zip code", "zipcode", "postal code zip code",
                    "billing postal code", "billing code", "home zip", "home zipcode", "codigo postal", "cep",
                    "work zip", "business zip"],
    "city": ["citta", "comune", "localita", "city", "town", "billing city", "home city", "ciudad", "cidade",
             "municipio", "localidad", "paese residenza", "comune residenza"],
    "province": ["provincia", "prov", "pr", "sigla provincia", "state", "province", "province state", "region",
                 "billing state", "billing state province", "home state", "estado", "uf", "provincia sigla"],
    "country": ["nazione", "paese", "stato", "country", "billing country", "home country", "pais", "country region",
                "nation"],
    "birth_date": ["data di nascita", "data nascita", "nato il", "birth date", "birthdate", "birthday",
                   "date of birth", "dob", "fecha de nacimiento", "data de nascimento", "nascita"],
    "birth_place": ["luogo di nascita", "luogo nascita", "comune di nascita", "nato a", "birth place", "place of birth",
                    "lugar de nacimiento", "naturalidade", "local de nascimento"],
    "tags": ["tag", "tags", "etichette", "etichetta", "categoria", "categorie", "gruppo", "group", "group membership",
             "labels", "etiquetas", "categoria cliente"],
    KIND: ["tipologia", "tipo cliente", "tipo soggetto", "tipo anagrafica", "client type", "customer type",
           "customer sub type", "contact type", "tipo de cliente", "tipo pessoa", "natura giuridica", "type"],
    NOTES: ["note", "notes", "annotazioni", "osservazioni", "notas", "observacoes", "observaciones", "public notes",
            "private notes", "commenti", "comment", "comments"],
    "invoice_number": ["numero fattura", "n fattura", "nr fattura", "fattura n", "numero documento", "num documento",
                       "invoice", "invoice number", "invoice no", "invoice", "documentnumber", "document number",
                       "numero factura", "numero da nota", "numero"],
    "invoice_date": ["data fattura", "data documento", "data emissione", "invoice date", "date issued", "issue date",
                     "documentdate", "document date", "fecha factura", "data de emissao", "date"],
    "invoice_client": ["cliente", "client", "client name", "customer", "customer name", "intestatario", "name"],
    "invoice_net": ["imponibile", "totale imponibile", "net", "net amount", "subtotal", "subtotalamount",
                    "subtotal amount", "base imponible", "valor liquido", "importo netto"],
    "invoice_vat": ["iva", "imposta", "totale iva", "vat amount", "tax", "tax amount", "totaltaxamount",
                    "total tax amount", "impuesto"],
    "invoice_total": ["totale", "totale documento", "totale fattura", "importo", "total", "amount", "totalamount",
                      "total amount", "line total", "importe total", "valor total"],
    "invoice_paid_date": ["data pagamento", "pagata il", "data incasso", "date paid", "datepaid", "paid date",
                          "payment date", "fecha de pago", "data de pagamento"],
    "payment_amount": ["importo pagato", "pagato", "importo incassato", "incassato", "importo pagamento",
                       "amount paid", "paid amount", "payment amount", "importe pagado", "monto pagado", "valor pago"],
}  # fmt: skip

# folded header -> every target it may mean, in order of preference
SYNONYMS: dict[str, list[str]] = {}
for _target, _names in _SYNONYMS.items():
    for _name in _names:
        targets = SYNONYMS.setdefault(header_key(_name), [])
        if _target not in targets:
            targets.append(_target)
INVOICE_HINTS = {header_key(n) for t in INVOICE_TARGETS for n in _SYNONYMS[t]} - {
    header_key("name"),
    header_key("date"),
}


def table_kind(targets) -> str:
    """What a table holds, from where its columns go: "payments" (invoices' numbers and when or how much was paid,
    with no invoice date or no invoice amount: payments of invoices in the history),
    "invoices" (invoice history), else "clients"."""
    chosen = set(targets)
    paid, invoiced = chosen & {"invoice_paid_date", "payment_amount"}, chosen & {"invoice_total", "invoice_net"}
    if "invoice_number" in chosen and paid and ("invoice_date" not in chosen or not invoiced):
        return "payments"
    return "invoices" if chosen & set(INVOICE_TARGETS) else "clients"


# Known programs, recognised by a few headers that together only they write ("headers", or any one of its
# "signatures" for a program whose tables differ). Optional: "not_clients" (the message for a table of no client
# records), "lines" (its invoice rows are an invoice's lines, summed), "currency" (of its invoices; EUR else).
PROFILES: dict[str, dict] = {
    "cartella": {"label": "Cartella", "headers": ["client_number", "display_name", "needs_review", "sdi_code", "tax_code"],
                 "mapping": {"client_number": CUSTOM, "display_name": IGNORE, "kind": KIND, "other_emails": "emails",
                             "other_phones": "phones", "vat_country": "vat_country", "active": "active",
                             "attention": "attention", "no_reminders": "no_reminders", "ts_opposition": "ts_opposition",
                             "psych_bonus": "psych_bonus", "needs_review": IGNORE, "review_reason": REVIEW,
                             "missing_fields": IGNORE, "sex": IGNORE, "last_invoice_date": IGNORE,
                             "created_at": IGNORE, "updated_at": IGNORE, "notes": NOTES,
                             "custom_fields": CUSTOM_JSON}},
    "openstamanager": {"label": "OpenSTAManager", "headers": ["Codice", "Ragione sociale", "Codice destinatario", "Tipologia", "Split Payment"],
                       "mapping": {"Ragione sociale": FULL_NAME_FIRST_LAST, "Codice": CUSTOM, "Tipologia": KIND}},
    "invoiceninja": {"label": "Invoice Ninja", "headers": ["Balance", "Paid to Date", "Billing Street", "ID Number", "VAT Number"],
                     "mapping": {"Name": "company_name", "ID Number": "tax_code", "Billing Apt/Suite": CUSTOM,
                                 "Balance": CUSTOM, "Paid to Date": CUSTOM}},
    "zoho": {"label": "Zoho Books", "headers": ["Display Name", "Customer Sub Type", "Billing Attention", "Payment Terms Label"],
             "mapping": {"Display Name": "company_name", "Company Name": CUSTOM, "Customer Sub Type": KIND}},
    "wave": {"label": "Wave", "headers": ["customer_name", "contact_first_name", "postal_code/zip_code", "ship-to_contact"],
             "mapping": {"customer_name": FULL_NAME_FIRST_LAST}},
    "freshbooks": {"label": "FreshBooks (invoice lines)", "lines": True, "headers": ["Client Name", "Invoice #", "Date Issued", "Line Total"],
                   "mapping": {"Client Name": "invoice_client", "Invoice #": "invoice_number", "Date Issued": "invoice_date",
                               "Line Total": "invoice_total", "Date Paid": "invoice_paid_date"}},
    "invoicely": {"label": "Invoicely", "headers": ["Date", "Due", "Details", "Client", "Status", "Total"],
                  "mapping": {"Details": "invoice_number", "Date": "invoice_date", "Client": "invoice_client",
                              "Total": "invoice_total"}},
    "invoice2go": {"label": "Invoice2go", "headers": ["DocumentNumber", "DocumentDate", "EmailRecipient", "TotalAmount"],
                   "mapping": {"DocumentNumber": "invoice_number", "DocumentDate": "invoice_date", "Name": "invoice_client",
                               "TotalAmount": "invoice_total", "SubtotalAmount": "invoice_net",
                               "TotalTaxAmount": "invoice_vat", "DatePaid": "invoice_paid_date"}},
    "akaunting": {"label": "Akaunting", "headers": ["name", "email", "tax_number", "currency_code", "enabled"],
                  "mapping": {"name": FULL_NAME_FIRST_LAST, "tax_number": "vat_number", "address": FULL_ADDRESS}},
    "akaunting_invoices": {"label": "Akaunting (invoices)", "headers": ["invoice_number", "invoiced_at", "amount", "currency_code"],
                           "mapping": {"invoice_number": "invoice_number", "invoiced_at": "invoice_date", "amount": "invoice_total",
                                       **{f"{who}_{field}": target for who in ("contact", "customer") for field, target in (
                                           ("name", "invoice_client"), ("email", "emails"), ("tax_number", "vat_number"),
                                           ("phone", "phones"), ("address", FULL_ADDRESS), ("zip_code", "postal_code"),
                                           ("city", "city"))}}},
    # a workbook of Akaunting documents also holds supplier bills and each document's details: no client records
    "akaunting_bills": {"label": "Akaunting (supplier bills)", "headers": ["bill_number", "billed_at", "amount", "currency_code"],
                        "not_clients": "import.not_clients.bills", "mapping": {}},
    "tessera_sanitaria": {"label": "Sistema Tessera Sanitaria (730)", "headers": ["cfCittadino", "dataPagamento", "flagOperazione"],
                          "not_clients": "import.not_clients.ts", "mapping": {}},
    "akaunting_details": {"label": "Akaunting (document details)",
                          "signatures": [[number, *rest] for number in ("invoice_number", "bill_number") for rest in (
                              ["item_name", "item_type", "quantity"], ["item_name", "tax_name", "tax_rate"],
                              ["status", "notify", "description"], ["code", "name", "amount", "sort_order"],
                              ["transaction_number", "paid_at", "account_name"])],
                          "not_clients": "import.not_clients.details", "mapping": {}},
    "google_contacts": {"label": "Google Contacts", "headers": ["Given Name", "Family Name", "Group Membership", "E-mail 1 - Value"],
                        "mapping": {"Name": CUSTOM, "Given Name": "first_name", "Family Name": "last_name"}},
    "outlook": {"label": "Outlook contacts", "headers": ["Display Name", "First Name", "Last Name", "Email Home", "Business Phone"],
                "mapping": {"Display Name": CUSTOM, "Company": "company_name"}},
    "thunderbird": {"label": "Thunderbird address book", "headers": ["First Name", "Last Name", "Display Name", "Primary Email", "Birth Year"],
                    "mapping": {"Display Name": CUSTOM, "Organization": "company_name"}},
    "fattureincloud": {"label": "Fatture in Cloud", "headers": ["Denominazione", "Partita IVA", "Codice fiscale", "Codice SDI"],
                       "mapping": {"Denominazione": FULL_NAME_FIRST_LAST}},
    "easyfatt": {"label": "Danea Easyfatt", "headers": ["CustomerName", "CustomerFiscalCode", "CustomerPostcode", "Number", "Date"],
                 "mapping": {"CustomerName": "invoice_client", "CustomerFiscalCode": "tax_code", "CustomerVatCode": "vat_number",
                             "CustomerAddress": "street", "CustomerPostcode": "postal_code", "CustomerCity": "city",
                             "CustomerProvince": "province", "CustomerCountry": "country", "CustomerCellPhone": "phones",
                             "CustomerTel": "phones", "CustomerEmail": "emails", "CustomerPec": "pec",
                             "CustomerEInvoiceDestCode": "sdi_code", "Number": "invoice_number", "Date": "invoice_date",
                             "TotalWithoutTax": "invoice_net", "VatAmount": "invoice_vat", "Total": "invoice_total",
                             "CustomerCode": CUSTOM}},
    "fattureincloud_api": {"label": "Fatture in Cloud", "headers": ["name", "type", "vat_number", "tax_code", "ei_code", "certified_email"],
                           "mapping": {"name": FULL_NAME_FIRST_LAST, "type": KIND, "address_street": "street",
                                       "address_postal_code": "postal_code", "address_city": "city",
                                       "address_province": "province", "certified_email": "pec", "ei_code": "sdi_code",
                                       "code": CUSTOM, "id": CUSTOM}},
    "nfse": {"label": "NFS-e (Brazil)", "currency": "BRL", "headers": ["RazaoSocialTomador", "CPFCNPJTomador"],
             "mapping": {"RazaoSocialTomador": FULL_NAME_FIRST_LAST, "CPFCNPJTomador": "tax_code", "EmailTomador": "emails",
                         "LogradouroTomador": "street", "CEPTomador": "postal_code", "CidadeTomadorDescricao": "city",
                         "TelefoneTomador": "phones", "NumeroRPS": "invoice_number", "DataEmissaoRPS": "invoice_date",
                         "ValorTotalServicos": "invoice_total", "Itens.Item.ValorTotal": "invoice_total"}},
    "carepatron": {"label": "Carepatron / SimplePractice", "headers": ["Client ID", "First Name", "Last Name", "Date of Birth"],
                   "mapping": {"Client ID": CUSTOM}},
}  # fmt: skip


def detect_profile(header: list[str]) -> str | None:
    """The known program whose signature headers (any one of its `signatures`) are all present, or None; the longest
    signature wins."""
    keys = {header_key(h) for h in header}
    best, best_len = None, 0
    for name, profile in PROFILES.items():
        for headers in profile.get("signatures", [profile.get("headers")]):
            needed = {header_key(h) for h in headers}
            if needed <= keys and len(needed) > best_len:
                best, best_len = name, len(needed)
    return best

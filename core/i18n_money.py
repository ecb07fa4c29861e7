"""Messages of billing and finance (English, Italian), merged into core.i18n_catalog."""

from __future__ import annotations

ENTRIES = {
    # navigation
    "nav.invoices": ("Invoices", "Fatture"),
    "nav.finance": ("Finance", "Andamento economico"),
    "nav.practice": ("Practice & services", "Studio e prestazioni"),
    # months
    **{
        f"month.{i}": (en, it)
        for i, (en, it) in enumerate(
            [
                ("Jan", "gen"),
                ("Feb", "feb"),
                ("Mar", "mar"),
                ("Apr", "apr"),
                ("May", "mag"),
                ("Jun", "giu"),
                ("Jul", "lug"),
                ("Aug", "ago"),
                ("Sep", "set"),
                ("Oct", "ott"),
                ("Nov", "nov"),
                ("Dec", "dic"),
            ],
            start=1,
        )
    },
    # VAT natures and legal wording (printed on documents)
    "vat.nature.n2_2": ("N2.2 – not subject (flat-rate regime)", "N2.2 – non soggetta (regime forfettario)"),
    "vat.nature.n4": ("N4 – exempt (art. 10 DPR 633/72)", "N4 – esente (art. 10 DPR 633/72)"),
    "vat.nature.n3_5": ("N3.5 – not taxable (letter of intent)", "N3.5 – non imponibile (dichiarazione d'intento)"),
    "vat.nature.n1": ("N1 – excluded (art. 15)", "N1 – escluso ex art. 15"),
    "legal.flat_rate": (
        "Transaction without VAT under art. 1, paragraphs 54-89, Law 190/2014 (flat-rate regime); "
        "not subject to withholding under art. 1, paragraph 67, Law 190/2014.",
        "Operazione effettuata ai sensi dell'art. 1, commi da 54 a 89, della Legge n. 190/2014 – regime "
        "forfettario. Operazione senza applicazione dell'IVA. Si richiede la non applicazione della ritenuta "
        "alla fonte a titolo d'acconto ai sensi dell'art. 1, comma 67, L. 190/2014.",
    ),
    "legal.nature.N4": (
        "VAT-exempt health service under art. 10, paragraph 1, no. 18, DPR 633/72.",
        "Prestazione sanitaria esente IVA ai sensi dell'art. 10, comma 1, n. 18, DPR 633/72.",
    ),
    "legal.nature.N2.2": ("Transaction not subject to VAT.", "Operazione non soggetta a IVA."),
    "legal.nature.N3.5": (
        "Not taxable: transaction under a letter of intent.",
        "Operazione non imponibile ai sensi dell'art. 8, comma 1, lett. c), DPR 633/72 (dichiarazione d'intento).",
    ),
    "legal.nature.N1": ("Excluded under art. 15 DPR 633/72.", "Escluso ex art. 15 DPR 633/72."),
    "legal.surcharge": (
        "{label}: {rate}% of the fees, charged to the client.",
        "{label}: {rate}% dei compensi, addebitato al cliente.",
    ),
    "legal.surcharge_default": ("Professional fund surcharge", "Contributo integrativo cassa previdenza"),
    "legal.stamp_duty": (
        "Stamp duty of {amount} paid virtually (amounts without VAT above {threshold}), charged to the client.",
        "Imposta di bollo di {amount} assolta in modo virtuale (importi senza IVA oltre {threshold}), "
        "addebitata al cliente.",
    ),
    "legal.stamp_duty_practice": (
        "Stamp duty of {amount} paid virtually by the practice (amounts without VAT above {threshold}).",
        "Imposta di bollo di {amount} assolta in modo virtuale a carico dello studio "
        "(importi senza IVA oltre {threshold}).",
    ),
    "legal.withholding": (
        "Withholding tax of {rate}% on the fees, to be paid by the client as withholding agent.",
        "Ritenuta d'acconto del {rate}% sui compensi, da versare a cura del cliente sostituto d'imposta.",
    ),
    "legal.bonus": (
        "Of this amount, {amount} is covered by the psychologist bonus (paid by the state).",
        "Di questo importo, {amount} è coperto dal bonus psicologo (a carico dello Stato).",
    ),
    "legal.credit_note": (
        "Credit note cancelling invoice {number} in full.",
        "Nota di credito a storno totale della fattura {number}.",
    ),
    # invoice PDF
    "pdf.invoice_title": ("Invoice no. {number} of {date}", "Fattura n. {number} del {date}"),
    "pdf.credit_note_title": ("Credit note no. {number} of {date}", "Nota di credito n. {number} del {date}"),
    "pdf.no_number": ("(draft)", "(bozza)"),
    "pdf.draft": ("DRAFT – not a valid invoice until issued", "BOZZA – non valida come fattura finché non emessa"),
    "pdf.practice_unnamed": ("(practice name not set)", "(nome dello studio non impostato)"),
    "pdf.vat_number": ("VAT no.", "P.IVA"),
    "pdf.tax_code": ("Tax code", "C.F."),
    "pdf.sdi_code": ("Recipient code", "Codice destinatario"),
    "pdf.billed_to": ("Billed to", "Intestatario"),
    "pdf.patient": ("Service provided to", "Prestazione resa a"),
    "pdf.col.description": ("Description", "Descrizione"),
    "pdf.col.quantity": ("Qty", "Q.tà"),
    "pdf.col.unit_price": ("Price", "Prezzo"),
    "pdf.col.discount": ("Disc.", "Sconto"),
    "pdf.col.vat": ("VAT", "IVA"),
    "pdf.col.amount": ("Amount", "Importo"),
    "pdf.fees": ("Fees", "Compensi"),
    "pdf.vat_on": ("VAT {rate}% on {base}", "IVA {rate}% su {base}"),
    "pdf.stamp_duty": ("Stamp duty", "Imposta di bollo"),
    "pdf.total": ("Document total", "Totale documento"),
    "pdf.withholding": ("Withholding tax {rate}%", "Ritenuta d'acconto {rate}%"),
    "pdf.amount_due": ("Amount to pay", "Netto a pagare"),
    "pdf.bonus_share": ("Covered by psychologist bonus", "Quota bonus psicologo"),
    "pdf.client_share": ("Paid by the client", "Quota a carico del cliente"),
    "pdf.payment": ("Payment", "Pagamento"),
    "pdf.due_date": ("Due by {date}", "Scadenza {date}"),
    # payment methods and invoice states
    "payment.cash": ("Cash", "Contanti"),
    "payment.card": ("Card", "Carta"),
    "payment.bank_transfer": ("Bank transfer", "Bonifico"),
    "payment.bonus": ("Psychologist bonus", "Bonus psicologo"),
    "payment.other": ("Other", "Altro"),
    "payment.imported": ("Imported history", "Storico importato"),
    "invoice.status.draft": ("Draft", "Bozza"),
    "invoice.status.issued": ("Issued", "Emessa"),
    "invoice.status.paid": ("Paid", "Pagata"),
    "invoice.status.partly_paid": ("Partly paid", "Pagata in parte"),
    "invoice.status.overdue": ("Overdue", "Scaduta"),
    "invoice.status.cancelled": ("Cancelled", "Stornata"),
    "invoice.doc.invoice": ("Invoice", "Fattura"),
    "invoice.doc.credit_note": ("Credit note", "Nota di credito"),
    "session.status.done": ("Done", "Svolta"),
    "session.status.to_bill": ("To bill", "Da fatturare"),
    "session.status.cancelled": ("Cancelled", "Annullata"),
    "session.status.no_show": ("No-show", "Non presentato"),
    # finance
    "finance.amount": ("Amount", "Importo"),
    "finance.month": ("Month", "Mese"),
    "finance.year": ("Year", "Anno"),
    "finance.days": ("Days since issue", "Giorni dall'emissione"),
    "finance.method": ("Method", "Metodo"),
    "finance.net": ("Net fees", "Imponibile"),
    "finance.balance": ("Balance", "Saldo"),
    "finance.cumulative": ("Cumulative", "Cumulato"),
    "finance.invoices": ("Invoices", "Fatture"),
    "finance.payments": ("Payments", "Pagamenti"),
    "finance.chart.revenue_by_month": ("Revenue by month and client kind", "Ricavi per mese e tipo di cliente"),
    "finance.chart.cumulative": ("This year against last (cumulative)", "Quest'anno contro l'anno scorso (cumulato)"),
    "finance.chart.top_clients": ("Top clients", "Clienti principali"),
    "finance.chart.ageing": ("Receivables ageing", "Anzianità dei crediti"),
    "finance.chart.payments": ("Payments by method", "Incassi per metodo"),
    # yearly report
    "report.title": ("Financial summary {year}", "Riepilogo economico {year}"),
    "report.sheet.monthly": ("By month", "Per mese"),
    "report.sheet.by_kind": ("By client kind", "Per tipo di cliente"),
    "report.sheet.top_clients": ("Top clients", "Clienti principali"),
    "report.sheet.ageing": ("Receivables ageing", "Anzianità crediti"),
    "report.sheet.payments": ("Payments by method", "Incassi per metodo"),
    "report.col.month": ("Month", "Mese"),
    "report.col.invoices": ("Invoices", "Fatture"),
    "report.col.invoiced_net": ("Invoiced (net)", "Fatturato imponibile"),
    "report.col.invoiced_total": ("Invoiced (due)", "Fatturato da incassare"),
    "report.col.collected": ("Collected", "Incassato"),
    "report.col.outstanding_end": ("Outstanding at month end", "Da incassare a fine mese"),
    # command line
    "cli.year_invalid": ("{year} is not a valid year.", "{year} non è un anno valido."),
    "cli.report_done": ("Summary of {year} written to {path}.", "Riepilogo del {year} scritto in {path}."),
    # backups
    "error.backup_same_file": (
        "A backup cannot overwrite the database itself ({path}).",
        "Un backup non può sovrascrivere l'archivio stesso ({path}).",
    ),
    "error.backup_verify": (
        "The backup {path} does not match the database it was taken from: nothing was replaced.",
        "Il backup {path} non corrisponde all'archivio da cui è stato fatto: nulla è stato sostituito.",
    ),
    "error.backup_damaged": (
        "The backup {path} is damaged ({reason}): nothing was replaced.",
        "Il backup {path} è danneggiato ({reason}): nulla è stato sostituito.",
    ),
    "error.backup_missing": ("There is no backup file {path}.", "Il file di backup {path} non esiste."),
    "error.backup_no_manifest": (
        "{path} is missing or unreadable: a backup is restored only with its manifest, to verify it.",
        "{path} manca o è illeggibile: un backup si ripristina solo con il suo manifest, per verificarlo.",
    ),
    "error.backup_newer": (
        "The backup {path} comes from a newer Cartella (schema {version}): update Cartella first.",
        "Il backup {path} viene da una versione più recente di Cartella (schema {version}): aggiorna prima Cartella.",
    ),
    "cli.backup_done": (
        "Backup written to {path} ({size} MB, {rows} rows in {tables} tables), verified.",
        "Backup scritto in {path} ({size} MB, {rows} righe in {tables} tabelle), verificato.",
    ),
    "cli.restore_done": (
        "Database {path} restored from {backup} and verified; the previous file is kept as {kept}.",
        "Archivio {path} ripristinato da {backup} e verificato; il file precedente resta come {kept}.",
    ),
    # errors
    "error.not_a_number": ("'{value}' is not a number ({field}).", "'{value}' non è un numero ({field})."),
    "error.practice_invalid": ("Practice settings: {field} – {reason}", "Dati dello studio: {field} – {reason}"),
    "error.service_name": ("A service needs a name.", "La prestazione deve avere un nome."),
    "error.client_inactive": (
        "Client {number} is inactive: reactivate the card to bill it.",
        "Il cliente {number} non è attivo: riattiva la scheda per fatturare.",
    ),
    "error.service_not_found": ("There is no service {id}.", "Non esiste la prestazione {id}."),
    "error.negative_amount": ("The {field} cannot be negative.", "Il campo {field} non può essere negativo."),
    "error.line_description": ("Line {line} needs a description.", "La riga {line} deve avere una descrizione."),
    "error.line_amounts": (
        "Line {line}: quantity above zero, price not negative, discount between 0 and 100%.",
        "Riga {line}: quantità maggiore di zero, prezzo non negativo, sconto tra 0 e 100%.",
    ),
    "error.line_vat": (
        "Line {line}: give a VAT rate, or the exemption nature when there is no VAT.",
        "Riga {line}: indica l'aliquota IVA, o la natura dell'esenzione se l'IVA non si applica.",
    ),
    "error.no_lines": ("An invoice needs at least one line.", "Una fattura deve avere almeno una riga."),
    "error.bonus_amount": (
        "The bonus share must be between 0 and the amount due ({due}).",
        "La quota bonus deve essere tra 0 e l'importo dovuto ({due}).",
    ),
    "error.invoice_changed": (
        "Invoice {number} was changed meanwhile: nothing was saved. Reload it and try again.",
        "La fattura {number} è stata modificata nel frattempo: nulla è stato salvato. Ricaricala e riprova.",
    ),
    "error.invoice_locked": (
        "Invoice {number} is issued and locked: cancel it with a credit note.",
        "La fattura {number} è emessa e bloccata: stornala con una nota di credito.",
    ),
    "error.invoice_not_found": ("There is no invoice {id}.", "Non esiste la fattura {id}."),
    "error.session_status": ("Unknown session status '{status}'.", "Stato della seduta '{status}' sconosciuto."),
    "error.session_invoiced": (
        "The session of {date} is invoiced: cancel the invoice with a credit note first.",
        "La seduta del {date} è fatturata: prima storna la fattura con una nota di credito.",
    ),
    "error.session_not_found": ("There is no session {id}.", "Non esiste la seduta {id}."),
    "error.no_sessions": ("Choose at least one session.", "Scegli almeno una seduta."),
    "error.sessions_not_found": (
        "Some chosen sessions are not this client's.",
        "Alcune sedute scelte non sono di questo cliente.",
    ),
    "error.session_not_billable": (
        "The session of {date} is already invoiced, cancelled or a no-show.",
        "La seduta del {date} è già fatturata, annullata o il cliente non si è presentato.",
    ),
    "error.issue_date_order": (
        "Invoices are numbered in date order: {date} comes before the last issued one ({last}).",
        "Le fatture si numerano in ordine di data: il {date} è prima dell'ultima emessa ({last}).",
    ),
    "error.cannot_credit": (
        "Only an issued invoice can be cancelled with a credit note ({number}).",
        "Solo una fattura emessa si può stornare con nota di credito ({number}).",
    ),
    "error.payment_amount": ("A payment must be above zero.", "Un pagamento deve essere maggiore di zero."),
    "error.payment_method": ("Unknown payment method '{method}'.", "Metodo di pagamento '{method}' sconosciuto."),
    "error.payment_not_issued": (
        "Payments go on issued invoices ({number}).",
        "I pagamenti si registrano su fatture emesse ({number}).",
    ),
    "error.payment_over_balance": (
        "The payment is more than the balance ({balance}).",
        "Il pagamento supera il saldo ({balance}).",
    ),
    "error.payment_before_issue": (
        "A payment cannot precede the invoice date ({date}).",
        "Un pagamento non può precedere la data della fattura ({date}).",
    ),
    "error.delete_has_invoices": (
        "Client {number} has issued invoices, which must be kept: deactivate the card instead.",
        "Il cliente {number} ha fatture emesse, che vanno conservate: disattiva la scheda invece di eliminarla.",
    ),
}

"""Messages of the import: the Import page, what each stage reports, the CLI's import lines."""

from __future__ import annotations

ENTRIES = {
    # import page
    "nav.import": ("Import", "Importa"),
    "import.title": ("Import from another program", "Importa da un altro programma"),
    "import.intro": (
        "CSV, Excel (XLSX, XLS, ODS), ZIP archives and Italian e-invoices (XML, P7M). Nothing is written until you "
        "press Import, and every import can be undone.",
        "CSV, Excel (XLSX, XLS, ODS), archivi ZIP e fatture elettroniche (XML, P7M). Nulla viene scritto finché non "
        "premi Importa, e ogni importazione si può annullare.",
    ),
    "import.upload": ("Files exported by your previous program", "File esportati dal programma precedente"),
    "import.tab_new": ("New import", "Nuova importazione"),
    "import.tab_history": ("Import history", "Storico importazioni"),
    "import.none": ("Choose one or more files to begin.", "Scegli uno o più file per iniziare."),
    "import.kind.csv": ("Text (CSV)", "Testo (CSV)"),
    "import.kind.xlsx": ("Excel workbook", "Cartella Excel"),
    "import.kind.xls": ("Excel 97-2003 workbook", "Cartella Excel 97-2003"),
    "import.kind.ods": ("OpenDocument spreadsheet", "Foglio OpenDocument"),
    "import.kind.html": ("Web page table", "Tabella di pagina web"),
    "import.kind.fatturapa": ("Italian e-invoice", "Fattura elettronica"),
    "import.kind.json": ("JSON data", "Dati JSON"),
    "import.kind.xml": ("XML export", "Esportazione XML"),
    "import.kind.unreadable": ("Could not be read", "Non leggibile"),
    "import.detected_program": ("recognised: {program}", "riconosciuto: {program}"),
    "import.detected_encoding": ("encoding {encoding}", "codifica {encoding}"),
    "import.detected_delimiter": ("separator {delimiter}", "separatore {delimiter}"),
    "import.detected_header": ("headers on row {row}, {rows} rows", "intestazioni alla riga {row}, {rows} righe"),
    "import.detected_invoices": ("{count} invoices", "{count} fatture"),
    "import.skipped_rows": (
        "Rows left aside (titles, blank, totals): {rows}",
        "Righe lasciate da parte (titoli, vuote, totali): {rows}",
    ),
    "import.ragged.long": (
        "Rows with more cells than the header (the cells beyond it are kept in the field 'extra'): {rows}",
        "Righe con più celle delle intestazioni (quelle in più sono conservate nel campo 'extra'): {rows}",
    ),
    "import.ragged.short": (
        "Rows with fewer cells than the header (the missing ones are read as empty): {rows}",
        "Righe con meno celle delle intestazioni (quelle mancanti sono lette come vuote): {rows}",
    ),
    "import.not_clients.bills": (
        "{program}: a supplier's bill (a purchase), not a client record: not imported.",
        "{program}: fattura di un fornitore (un acquisto), non un dato di cliente: non importata.",
    ),
    "import.not_clients.details": (
        "{program}: a detail (line, tax, total, history, payment) of a document in another sheet, not a client "
        "record: not imported.",
        "{program}: dettaglio (riga, imposta, totale, storico, pagamento) di un documento di un altro foglio, non un "
        "dato di cliente: non importato.",
    ),
    "import.not_clients.ts": (
        "{program}: an expense sent to the Sistema TS; it gives the patient only as a codice fiscale (encrypted in "
        "what is sent), no name: no client card, not imported.",
        "{program}: spesa inviata al Sistema TS; indica il paziente solo col codice fiscale (cifrato nell'invio), "
        "senza nome: nessuna scheda cliente, non importata.",
    ),
    "import.not_clients.label": ("no client records: not imported", "nessun dato di clienti: non importata"),
    "import.not_clients.page": (
        "Nothing in this table will be imported. {reason} To import it anyway, choose where its columns go.",
        "Nulla di questa tabella sarà importato. {reason} Per importarla comunque, scegli dove vanno le sue colonne.",
    ),
    "import.col.source": ("Column in the file", "Colonna nel file"),
    "import.col.samples": ("Examples", "Esempi"),
    "import.col.target": ("Goes to", "Diventa"),
    "import.col.reason": ("Why", "Perché"),
    "import.reason.header": ("its name", "il nome"),
    "import.reason.values": ("its values", "i valori"),
    "import.reason.profile": ("the program's layout", "il formato del programma"),
    "import.reason.saved": ("your earlier choice", "una tua scelta precedente"),
    "import.reason.user": ("your choice", "la tua scelta"),
    "import.reason.unmapped": ("no matching field", "nessun campo corrispondente"),
    "import.reason.empty": ("always empty", "sempre vuota"),
    "import.reason.duplicate": ("field already taken", "campo già usato"),
    "target.full_name_last_first": ("Last and first name", "Cognome e nome"),
    "target.full_name_first_last": ("First and last name", "Nome e cognome"),
    "target.tax_or_vat": ("Tax code or VAT number", "Codice fiscale o partita IVA"),
    "target.full_address": ("Full address", "Indirizzo completo"),
    "target.custom_json": ("Kept columns (Cartella export)", "Colonne conservate (esportazione Cartella)"),
    "target.kind": ("Kind of client", "Tipo di cliente"),
    "target.notes": ("Notes", "Note"),
    "target.custom": ("Custom field", "Campo personalizzato"),
    "target.ignore": ("Ignore", "Ignora"),
    "target.invoice_number": ("Invoice number", "Numero fattura"),
    "target.invoice_date": ("Invoice date", "Data fattura"),
    "target.invoice_client": ("Invoice client", "Cliente della fattura"),
    "target.invoice_net": ("Net amount", "Imponibile"),
    "target.invoice_vat": ("VAT amount", "IVA"),
    "target.invoice_total": ("Invoice total", "Totale fattura"),
    "target.invoice_paid_date": ("Paid on", "Pagata il"),
    "target.payment_amount": ("Amount paid", "Importo pagato"),
    "import.table.invoices": ("invoice history", "storico fatture"),
    "import.table.payments": ("payments of invoices in the history", "pagamenti di fatture dello storico"),
    "import.undo_unpaid": (
        "{count} invoices got back the payment state they had before.",
        "{count} fatture sono tornate allo stato di pagamento che avevano prima.",
    ),
    "import.on_duplicate": ("Clients already in Cartella", "Clienti già presenti in Cartella"),
    "import.on_duplicate_table": ("Clients of this file already in Cartella", "Clienti di questo file già presenti"),
    "import.dup.as_all": ("As for all files (below)", "Come per tutti i file (sotto)"),
    "import.dup.update": ("Update them", "Aggiornali"),
    "import.dup.skip": ("Leave them as they are", "Lasciali come sono"),
    "import.dup.create": ("Create new cards anyway", "Crea comunque nuove schede"),
    "import.strict": ("Strict", "Rigoroso"),
    "import.strict_help": (
        "Reject rows whose identifiers fail instead of importing them marked 'to review'.",
        "Scarta le righe con identificativi errati invece di importarle segnate 'da verificare'.",
    ),
    "import.unmapped": ("Columns with no matching field go to", "Le colonne senza campo corrispondente vanno in"),
    "import.check": ("Check (nothing is written)", "Verifica (nulla viene scritto)"),
    "import.checking": ("Checking every row…", "Verifica di ogni riga…"),
    "import.run": ("Import", "Importa"),
    "import.running": ("Importing…", "Importazione in corso…"),
    "import.result_preview": ("What the import will do", "Cosa farà l'importazione"),
    "import.result_done": ("Import finished", "Importazione completata"),
    "import.count.rows_read": ("Rows read", "Righe lette"),
    "import.count.created": ("Created", "Create"),
    "import.count.updated": ("Updated", "Aggiornate"),
    "import.count.skipped": ("Skipped", "Saltate"),
    "import.count.rejected": ("Rejected", "Scartate"),
    "import.count.flagged": ("To review", "Da verificare"),
    "import.sum_check": (
        "{rows_read} rows = {created} created + {updated} updated + {skipped} skipped + {rejected} rejected",
        "{rows_read} righe = {created} create + {updated} aggiornate + {skipped} saltate + {rejected} scartate",
    ),
    "import.done": (
        "Import {batch} saved. Every row is accounted for above.",
        "Importazione {batch} salvata. Ogni riga è conteggiata qui sopra.",
    ),
    "import.download_problems": ("Rows to fix (CSV)", "Righe da correggere (CSV)"),
    "import.download_report": ("Full report (JSON)", "Rapporto completo (JSON)"),
    "import.no_history": ("No imports yet.", "Nessuna importazione finora."),
    "import.batch": ("Import {batch}", "Importazione {batch}"),
    "import.undone_on": ("Undone on {date}", "Annullata il {date}"),
    "import.undo": ("Undo this import", "Annulla questa importazione"),
    "import.undo_title": ("Undo the import?", "Annullare l'importazione?"),
    "import.undo_confirm": (
        "Cards created by import {batch} are removed and cards it updated get their previous values back. "
        "Cards edited by hand since then are left as they are.",
        "Le schede create dall'importazione {batch} vengono rimosse e quelle aggiornate tornano ai valori "
        "precedenti. Le schede modificate a mano nel frattempo restano come sono.",
    ),
    "import.undo_done": (
        "Import undone: {removed} cards removed, {restored} restored; {kept} edited since were kept.",
        "Importazione annullata: {removed} schede rimosse, {restored} ripristinate; {kept} modificate nel frattempo sono state mantenute.",
    ),
    # import
    "import.msg.no_name": (
        "No usable name in this row: rejected.",
        "Nessun nome utilizzabile in questa riga: scartata.",
    ),
    "import.msg.bad_date": (
        "'{value}' is not a date I can read; kept as it was.",
        "'{value}' non è una data leggibile; conservata così com'è.",
    ),
    "import.msg.bad_amount": ("'{value}' is not an amount.", "'{value}' non è un importo."),
    "import.msg.no_invoice_number": ("The invoice has no number.", "La fattura non ha un numero."),
    "import.msg.no_client": (
        "No client could be found or created for this invoice.",
        "Nessun cliente trovato o creabile per questa fattura.",
    ),
    "import.msg.same_document": (
        "Invoice {number} appears again, for the same client and date: counted once.",
        "La fattura {number} compare di nuovo, per lo stesso cliente e la stessa data: contata una volta.",
    ),
    "import.msg.card_from_invoice": (
        "Card created from the invoice history: complete it.",
        "Scheda creata dallo storico fatture: completala.",
    ),
    "import.msg.no_paid_date": ("The payment has no date.", "Il pagamento non ha una data."),
    "import.msg.payment_no_invoice": (
        "No invoice numbered {number} in the history: import the invoices first, then this row again.",
        "Nessuna fattura numero {number} nello storico: importa prima le fatture, poi di nuovo questa riga.",
    ),
    "import.msg.payment_ambiguous": (
        "{count} invoices are numbered {number}: add the client or the invoice date to tell which one was paid.",
        "{count} fatture hanno il numero {number}: aggiungi il cliente o la data della fattura per dire quale è "
        "stata pagata.",
    ),
    "import.msg.payment_other_client": (
        "Invoice {number} is of {client}, not of this client: check it.",
        "La fattura {number} è di {client}, non di questo cliente: controlla.",
    ),
    "import.msg.already_paid": (
        "Invoice {number} was already paid on {date}: this payment is left out.",
        "La fattura {number} risulta già pagata il {date}: questo pagamento non è stato registrato.",
    ),
    "import.msg.paid_part": (
        "Invoice {number}: {paid} of {total} paid so far; it stays open.",
        "Fattura {number}: pagati finora {paid} su {total}; resta aperta.",
    ),
    "import.msg.paid_more": (
        "Invoice {number}: {paid} paid, more than its total of {total}.",
        "Fattura {number}: pagati {paid}, più del totale di {total}.",
    ),
    "import.msg.likely_duplicate": ("Possibly the same person as {other}.", "Forse la stessa persona di {other}."),
    "import.report.reason": ("reason", "motivo"),
    "import.report.file": ("source", "origine"),
    "import.report.reject": ("rejected", "scartata"),
    "import.report.create": ("imported, to review", "importata, da verificare"),
    "import.report.update": ("merged, to review", "unita, da verificare"),
    "import.report.skip": ("skipped", "saltata"),
    "import.read.empty": ("{file} is empty.", "{file} è vuoto."),
    "import.read.header_only": ("{file} has column headers but no rows.", "{file} ha le intestazioni ma nessuna riga."),
    "import.read.binary": (
        "{file} is not a text, spreadsheet or e-invoice file.",
        "{file} non è un file di testo, un foglio di calcolo o una fattura elettronica.",
    ),
    "import.read.password": (
        "{file} is protected by a password: save it without one and try again.",
        "{file} è protetto da password: salvalo senza password e riprova.",
    ),
    "import.read.too_large": ("{file} is larger than the limit of {limit}.", "{file} supera il limite di {limit}."),
    "import.read.zip_bomb": (
        "{file} expands to far more than it weighs: refused for safety.",
        "{file} si espande molto più di quanto pesa: rifiutato per sicurezza.",
    ),
    "import.read.unsupported": (
        "{file}: this kind of file cannot be imported.",
        "{file}: questo tipo di file non si può importare.",
    ),
    "import.read.corrupt": ("{file} is damaged and cannot be read.", "{file} è danneggiato e non si può leggere."),
    "import.xml.not_fatturapa": (
        "{file} is XML but not an Italian e-invoice.",
        "{file} è XML ma non una fattura elettronica.",
    ),
    "import.xml.unsafe": (
        "{file} contains a DTD or entities, refused for safety.",
        "{file} contiene una DTD o entità, rifiutato per sicurezza.",
    ),
    "import.xml.malformed": ("{file} is not well-formed XML.", "{file} non è un XML ben formato."),
    "import.xml.no_body": (
        "{file} has the e-invoice header but no invoice in it.",
        "{file} ha l'intestazione della fattura ma nessuna fattura.",
    ),
    "import.xml.schema": (
        "The file does not follow the official schema ({count} problems, e.g. {first}); imported anyway.",
        "Il file non rispetta lo schema ufficiale ({count} problemi, ad es. {first}); importato comunque.",
    ),
    "import.read.missing": ("{file} cannot be opened: {reason}", "{file} non si apre: {reason}"),
    "import.p7m.unreadable": (
        "{file}: the signed envelope (.p7m) cannot be opened.",
        "{file}: la busta firmata (.p7m) non si apre.",
    ),
    "import.undo.unknown": ("There is no import number {batch}.", "Non esiste l'importazione numero {batch}."),
    "import.undo.already": ("Import {batch} was already undone.", "L'importazione {batch} è già stata annullata."),
    "cli.import_done": (
        "import {batch}: rows {rows_read} = created {created} + updated {updated} + skipped {skipped} + rejected {rejected}; flagged {flagged}, duplicates {duplicates}",
        "importazione {batch}: righe {rows_read} = create {created} + aggiornate {updated} + saltate {skipped} + scartate {rejected}; da verificare {flagged}, doppioni {duplicates}",
    ),
    "cli.import_dry_run": (
        "dry run, nothing written: rows {rows_read} = would create {created} + update {updated} + skip {skipped} + reject {rejected}; flagged {flagged}, duplicates {duplicates}",
        "prova, nulla scritto: righe {rows_read} = da creare {created} + aggiornare {updated} + saltare {skipped} + scartare {rejected}; da verificare {flagged}, doppioni {duplicates}",
    ),
    "cli.region_unknown": (
        "{region} is not a country code for phone numbers (two letters, e.g. IT, US, BR)",
        "{region} non è un codice paese per i telefoni (due lettere, ad esempio IT, US, BR)",
    ),
    "cli.mapping_unreadable": (
        "cannot read the mapping {path}: {reason}",
        "impossibile leggere la mappatura {path}: {reason}",
    ),
    # rows fixed in place after a check
    "import.fix_title": ("Rows to fix", "Righe da correggere"),
    "import.fix_title_other": ("Rows not imported", "Righe non importate"),
    "import.fix_help": (
        "Correct the cells here, then check again: corrected rows are imported as you typed them. Nothing is "
        "written until you import.",
        "Correggi le celle qui, poi ricontrolla: le righe corrette si importano come le hai scritte. Nulla viene "
        "scritto finché non importi.",
    ),
    "import.fix_file": ("{file}: {count} rows rejected or flagged", "{file}: {count} righe scartate o da verificare"),
    "import.fix_more": (
        "{count} more rows are in the downloadable report after the import.",
        "Altre {count} righe sono nel resoconto scaricabile dopo l'importazione.",
    ),
    "import.fix_count": (
        "Rows corrected by hand: {count}. The next check and the import use them as typed.",
        "Righe corrette a mano: {count}. Il prossimo controllo e l'importazione le usano come scritte.",
    ),
}

"""Every UI and error message, in English and Italian. Keys are dotted; `{name}` are parameters.

Add a language by adding its code to each entry (missing entries fall back to English).
"""

from __future__ import annotations

from core.i18n_import import ENTRIES as IMPORT
from core.i18n_money import ENTRIES as MONEY
from core.i18n_money_ui import ENTRIES as MONEY_UI

_E = {
    # navigation and sidebar
    "nav.clients": ("Clients", "Clienti"),
    "nav.new_client": ("New client", "Nuovo cliente"),
    "nav.client_card": ("Client card", "Scheda cliente"),
    "nav.trash": ("Trash", "Cestino"),
    "sidebar.language": ("Language", "Lingua"),
    "sidebar.database": ("Database: {path}", "Archivio: {path}"),
    "sidebar.phone_region": ("Phone numbers without prefix are from", "Telefoni senza prefisso: paese"),
    "sidebar.phone_region_help": (
        "The country assumed for phone numbers typed without +prefix.",
        "Il paese assunto per i numeri scritti senza prefisso internazionale.",
    ),
    # kinds, statuses, badges
    "kind.private": ("Private / patient", "Privato / paziente"),
    "kind.company": ("Company", "Azienda"),
    "kind.public_administration": ("Public administration", "Pubblica amministrazione"),
    "kind.all": ("All", "Tutti"),
    "status.active": ("Active", "Attivi"),
    "status.inactive": ("Inactive", "Non attivi"),
    "status.all": ("All", "Tutti"),
    "status.needs_review": ("To review (e.g. after an import)", "Da verificare (ad es. dopo un'importazione)"),
    "status.incomplete": ("Incomplete for invoicing", "Incompleti per la fatturazione"),
    "card.tab_invoices": ("Billing", "Fatturazione"),
    "card.no_invoices": ("No invoices yet.", "Ancora nessuna fattura."),
    "card.custom_fields": (
        "Other details brought over from the previous program",
        "Altri dati portati dal programma precedente",
    ),
    "col.invoice_number": ("Number", "Numero"),
    "col.invoice_date": ("Date", "Data"),
    "col.invoice_type": ("Type", "Tipo"),
    "col.net": ("Net", "Imponibile"),
    "col.vat": ("VAT", "IVA"),
    "col.total": ("Total", "Totale"),
    "col.paid_date": ("Paid on", "Pagata il"),
    "col.paid_so_far": ("Paid so far", "Pagato finora"),
    "col.source": ("From", "Origine"),
    "badge.inactive": ("Inactive", "Non attivo"),
    "badge.needs_review": ("To review", "Da verificare"),
    "badge.incomplete": ("Incomplete", "Incompleto"),
    "badge.in_trash": ("In the trash", "Nel cestino"),
    # fields
    "field.kind": ("Kind", "Tipo"),
    "field.first_name": ("First name", "Nome"),
    "field.last_name": ("Last name", "Cognome"),
    "field.company_name": ("Company name", "Ragione sociale"),
    "field.pa_name": ("Name of the administration", "Denominazione dell'ente"),
    "field.tax_code": ("Tax code (codice fiscale / CPF / NIF)", "Codice fiscale (o CPF / NIF)"),
    "field.vat_country": ("VAT country", "Paese IVA"),
    "field.vat_number": ("VAT number", "Partita IVA"),
    "field.sdi_code": ("SdI recipient code", "Codice destinatario SdI"),
    "field.office_code": ("Office code (codice univoco ufficio)", "Codice univoco ufficio"),
    "field.pec": ("PEC (certified e-mail)", "PEC"),
    "field.emails": ("E-mails", "E-mail"),
    "field.phones": ("Phones", "Telefoni"),
    "field.street": ("Street and number", "Indirizzo"),
    "field.postal_code": ("Postal code", "CAP"),
    "field.city": ("City", "Comune"),
    "field.province": ("Province", "Provincia"),
    "field.country": ("Country", "Nazione"),
    "field.birth_date": ("Birth date", "Data di nascita"),
    "field.birth_place": ("Birth place", "Luogo di nascita"),
    "field.sex": ("Sex", "Sesso"),
    "field.tags": ("Tags", "Etichette"),
    "field.tags_placeholder": ("Choose or type a new tag", "Scegli o scrivi una nuova etichetta"),
    "field.notes": ("Notes", "Note"),
    "field.attention": ("Attention", "Attenzione"),
    "field.no_reminders": ("No reminders", "Escludi dai solleciti"),
    "field.ts_opposition": ("Opposes Sistema TS", "Opposizione Sistema TS"),
    "field.psych_bonus": ("Psychologist bonus", "Bonus psicologo"),
    "field.active": ("Active", "Attivo"),
    "field.needs_review": ("To review", "Da verificare"),
    "field.review_reason": ("Why to review", "Motivo della verifica"),
    "field.deleted_at": ("Deleted on", "Eliminato il"),
    "field.quick": ("Quick registration (only a name for now)", "Registrazione rapida (per ora solo il nome)"),
    # help texts
    "help.tax_code": (
        "16 characters for a person (omocodia accepted), 11 digits for companies. CPF or NIF for Brazil and Spain.",
        "16 caratteri per le persone (omocodia compresa), 11 cifre per società ed enti. CPF o NIF per Brasile e Spagna.",
    ),
    "help.tax_code_company": (
        "Only if different from the VAT number (e.g. sole traders: 16 characters).",
        "Solo se diverso dalla partita IVA (ad es. ditte individuali: 16 caratteri).",
    ),
    "help.tax_code_pa": ("11 digits, from the IPA index.", "11 cifre, dall'indice IPA."),
    "help.vat_number": (
        "With or without the country prefix: IT01234567890.",
        "Con o senza prefisso del paese: IT01234567890.",
    ),
    "help.sdi_code": (
        "7 characters; 0000000 if the client has none.",
        "7 caratteri; 0000000 se il cliente non ne ha uno.",
    ),
    "help.sdi_code_company": (
        "7 characters. Give it or the PEC: e-invoices need one of them.",
        "7 caratteri. Indica questo o la PEC: la fattura elettronica ne richiede uno.",
    ),
    "help.sdi_code_public_administration": (
        "6 characters, from the IPA index (codice univoco ufficio).",
        "6 caratteri, dall'indice IPA (codice univoco ufficio).",
    ),
    "help.birth_date": ("Filled from the codice fiscale when empty.", "Ricavata dal codice fiscale se vuota."),
    "help.list": ("Several? Separate them with commas.", "Più di uno? Separali con una virgola."),
    "help.quick": (
        "Save with just a name; the card is marked incomplete and lists what invoicing will need.",
        "Salva con il solo nome; la scheda resta incompleta e indica cosa servirà per fatturare.",
    ),
    "help.attention": ("Show this card with a warning mark.", "Evidenzia la scheda con un segnale di attenzione."),
    "help.no_reminders": ("Never send payment or appointment reminders.", "Non inviare solleciti né promemoria."),
    "help.ts_opposition": (
        "The patient opposes sending their expenses to the Sistema Tessera Sanitaria.",
        "Il paziente si oppone all'invio delle spese al Sistema Tessera Sanitaria.",
    ),
    "help.psych_bonus": ("The patient uses the psychologist bonus.", "Il paziente usufruisce del bonus psicologo."),
    "section.invoicing_private": ("Invoicing (optional)", "Fatturazione (facoltativo)"),
    "form.has_errors": (
        "Not saved: fix the fields marked in red above (errors: {count}).",
        "Non salvato: correggi i campi segnati in rosso qui sopra (errori: {count}).",
    ),
    "section.contact_person": ("Contact person", "Referente"),
    # clients page
    "clients.title": ("Clients", "Clienti"),
    "clients.search": ("Search", "Cerca"),
    "clients.search_placeholder": (
        "Name, e-mail, tax code, phone or number",
        "Nome, e-mail, codice fiscale, telefono o numero",
    ),
    "clients.kind": ("Kind", "Tipo"),
    "clients.status": ("Status", "Stato"),
    "clients.tag": ("Tag", "Etichetta"),
    "clients.none_found": ("No client matches these filters.", "Nessun cliente corrisponde ai filtri."),
    "clients.count": ("Found: {total} · page {page} of {pages}", "Trovati: {total} · pagina {page} di {pages}"),
    "clients.prev": ("Previous", "Precedente"),
    "clients.next": ("Next", "Successiva"),
    "clients.export_csv": ("Export CSV", "Esporta CSV"),
    "clients.export_xlsx": ("Export Excel", "Esporta Excel"),
    "clients.open_hint": ("Select a row to open the card.", "Seleziona una riga per aprire la scheda."),
    "col.number": ("No.", "N."),
    "col.name": ("Name", "Nome"),
    "col.kind": ("Kind", "Tipo"),
    "col.email": ("E-mail", "E-mail"),
    "col.phone": ("Phone", "Telefono"),
    "col.city": ("City", "Comune"),
    "col.last_invoice": ("Last invoice", "Ultima fattura"),
    "col.state": ("Status", "Stato"),
    "col.deleted_at": ("Deleted on", "Eliminato il"),
    "col.days_left": ("Days left", "Giorni rimasti"),
    # welcome
    "welcome.title": ("Welcome to Cartella", "Benvenuto in Cartella"),
    "welcome.intro": (
        "Your client registry is empty. Choose how to start:",
        "L'anagrafica è vuota. Scegli come iniziare:",
    ),
    "welcome.import": ("Import from your previous program", "Importa dal programma precedente"),
    "welcome.import_help": (
        "CSV or Excel exports and Italian e-invoices, with nothing lost on the way.",
        "Esportazioni CSV o Excel e fatture elettroniche, senza perdere nulla per strada.",
    ),
    "welcome.import_button": ("Import…", "Importa…"),
    "welcome.add": ("Add your first client", "Aggiungi il primo cliente"),
    "welcome.add_help": ("Fill in a client card by hand.", "Compila a mano una scheda cliente."),
    "welcome.add_button": ("New client", "Nuovo cliente"),
    "welcome.demo": ("Try it with demo data", "Prova con dati di esempio"),
    "welcome.demo_help": (
        "200 invented clients to explore Cartella; delete them when you are done.",
        "200 clienti inventati per esplorare Cartella; eliminali quando hai finito.",
    ),
    "welcome.demo_button": ("Load demo data", "Carica i dati di esempio"),
    "welcome.demo_loading": ("Creating demo clients…", "Creazione dei clienti di esempio…"),
    "welcome.demo_loaded": ("{count} demo clients loaded.", "{count} clienti di esempio caricati."),
    # new client
    "new.title": ("New client", "Nuovo cliente"),
    "new.kind": ("Kind of client", "Tipo di cliente"),
    "new.kind_help.private": (
        "A person or patient: first and last name are required.",
        "Una persona o un paziente: nome e cognome sono obbligatori.",
    ),
    "new.kind_help.company": (
        "A company: name, VAT number or tax code, and SdI code or PEC.",
        "Un'azienda: ragione sociale, partita IVA o codice fiscale, e codice SdI o PEC.",
    ),
    "new.kind_help.public_administration": (
        "A public body: name, tax code and the 6-character office code.",
        "Un ente pubblico: denominazione, codice fiscale e codice univoco ufficio di 6 caratteri.",
    ),
    "new.save": ("Save client", "Salva cliente"),
    "new.saved": ("Client no. {number} – {name} saved.", "Cliente n. {number} – {name} salvato."),
    # card
    "card.number": ("Client number", "Numero cliente"),
    "card.pick": ("Type a client number", "Scrivi un numero cliente"),
    "card.none_selected": (
        "Pick a client in the list, or type their number above.",
        "Scegli un cliente dall'elenco, o scrivi il suo numero qui sopra.",
    ),
    "card.to_list": ("Go to the client list", "Vai all'elenco clienti"),
    "card.number_badge": ("No. {number}", "N. {number}"),
    "card.missing": (
        "Incomplete card. Invoicing will need: {fields}.",
        "Scheda incompleta. Per fatturare servono: {fields}.",
    ),
    "card.review_reason": ("To review: {reason}", "Da verificare: {reason}"),
    "card.deactivate": ("Deactivate", "Disattiva"),
    "card.reactivate": ("Reactivate", "Riattiva"),
    "card.deactivated": ("The card is now inactive.", "La scheda ora è non attiva."),
    "card.reactivated": ("The card is active again.", "La scheda è di nuovo attiva."),
    "card.delete": ("Delete", "Elimina"),
    "card.delete_title": ("Move to the trash?", "Spostare nel cestino?"),
    "card.delete_confirm": (
        "{name} goes to the trash. You can restore the card for {days} days; after that it is deleted for good.",
        "{name} va nel cestino. Potrai ripristinare la scheda per {days} giorni; poi sarà eliminata definitivamente.",
    ),
    "card.delete_yes": ("Move to the trash", "Sposta nel cestino"),
    "card.deleted": ("{name} moved to the trash.", "{name} spostato nel cestino."),
    "card.back": ("Back to the list", "Torna all'elenco"),
    "card.in_trash": (
        "This card was deleted on {date}. It can be restored for {days} more days.",
        "Questa scheda è stata eliminata il {date}. Si può ripristinare ancora per {days} giorni.",
    ),
    "card.read_only": ("Restore the card to edit it.", "Ripristina la scheda per modificarla."),
    "card.tab_details": ("Card", "Scheda"),
    "card.tab_history": ("History", "Cronologia"),
    "card.save": ("Save changes", "Salva le modifiche"),
    "card.saved": ("Changes saved (version {version}).", "Modifiche salvate (versione {version})."),
    "card.change_kind": ("Kind of client", "Tipo di cliente"),
    "card.change_kind_apply": ("Change kind", "Cambia tipo"),
    "card.kind_not_changed": ("The kind was not changed:", "Il tipo non è stato cambiato:"),
    "card.changed_elsewhere": (
        "This card was changed elsewhere since you opened it. Saving now will be refused, so your changes "
        "cannot overwrite the others: reload to see the new values.",
        "Questa scheda è stata modificata altrove da quando l'hai aperta. Il salvataggio sarà rifiutato, così le "
        "tue modifiche non sovrascrivono quelle altrui: ricarica per vedere i nuovi valori.",
    ),
    "card.reload": ("Reload the card (discard my changes)", "Ricarica la scheda (scarta le mie modifiche)"),
    "common.cancel": ("Cancel", "Annulla"),
    "common.yes": ("yes", "sì"),
    "common.no": ("no", "no"),
    # history
    "history.created": ("Created", "Creata"),
    "history.changed": ("Changed", "Modificata"),
    "history.deactivated": ("Deactivated", "Disattivata"),
    "history.reactivated": ("Reactivated", "Riattivata"),
    "history.deleted": ("Moved to the trash", "Spostata nel cestino"),
    "history.restored": ("Restored from the trash", "Ripristinata dal cestino"),
    "history.field": ("Field", "Campo"),
    "history.old": ("Before", "Prima"),
    "history.new": ("After", "Dopo"),
    # trash
    "trash.title": ("Trash", "Cestino"),
    "trash.intro": (
        "Deleted cards stay here for {days} days, then they are deleted for good with everything attached.",
        "Le schede eliminate restano qui {days} giorni, poi vengono eliminate definitivamente con tutti i dati collegati.",
    ),
    "trash.empty": ("The trash is empty.", "Il cestino è vuoto."),
    "trash.choose": ("Cards to restore", "Schede da ripristinare"),
    "trash.restore": ("Restore", "Ripristina"),
    "trash.choose_placeholder": ("Choose one or more cards", "Scegli una o più schede"),
    "trash.restored": ("{name} restored.", "{name} ripristinato."),
    "trash.restored_n": ("Cards restored: {count}.", "Schede ripristinate: {count}."),
    # backups
    "nav.backup": ("Backup", "Backup"),
    "backup.intro": (
        "A backup is a verified copy of your database file, kept in the backups folder beside it. Copy that "
        "folder to a USB stick or another disk now and then.",
        "Un backup è una copia verificata del tuo archivio, nella cartella backups accanto ad esso. Copia ogni "
        "tanto quella cartella su una chiavetta o un altro disco.",
    ),
    "backup.make": ("Make a backup now", "Fai un backup adesso"),
    "backup.making": ("Copying and verifying…", "Copia e verifica in corso…"),
    "backup.made": (
        "Backup {file} written and verified ({rows} rows).",
        "Backup {file} scritto e verificato ({rows} righe).",
    ),
    "backup.none": ("No backups yet.", "Ancora nessun backup."),
    "backup.col.when": ("Made on", "Fatto il"),
    "backup.col.file": ("File", "File"),
    "backup.col.size": ("Size", "Dimensione"),
    "backup.col.clients": ("Clients", "Clienti"),
    "backup.col.invoices": ("Invoices", "Fatture"),
    "backup.download": ("Download {file}", "Scarica {file}"),
    "backup.restore_title": ("Restoring a backup", "Ripristinare un backup"),
    "backup.restore_help": (
        "Close Cartella first (the database must not be open), then run the command below with the file you "
        "want from `{folder}`. The backup is verified before anything is replaced, and the current database is "
        "kept beside it as `…before-restore-<time>`.",
        "Prima chiudi Cartella (l'archivio non deve essere aperto), poi esegui il comando qui sotto con il file "
        "che vuoi da `{folder}`. Il backup viene verificato prima di sostituire qualsiasi cosa, e l'archivio "
        "attuale resta accanto come `…before-restore-<ora>`.",
    ),
    # CLI
    "cli.demo_done": ("{count} demo clients written to {path}", "{count} clienti di esempio scritti in {path}"),
    "cli.demo_count": ("--clients must be 1 or more", "--clients deve essere almeno 1"),
    "cli.demo_not_empty": (
        "{path} already holds clients; demo data goes only into an empty database",
        "{path} contiene già dei clienti; i dati di esempio vanno solo in un archivio vuoto",
    ),
    "cli.export_done": ("{count} clients exported to {path}", "{count} clienti esportati in {path}"),
    "cli.purged": ("cards purged from the trash: {count}", "schede eliminate definitivamente dal cestino: {count}"),
    "cli.days_negative": ("--older-than-days must be 0 or more", "--older-than-days deve essere 0 o più"),
    # errors
    "error.unexpected": (
        "Something went wrong. Nothing was lost; the details are in the log file in the data folder.",
        "Si è verificato un errore. Nessun dato è andato perso; i dettagli sono nel file di log nella cartella dati.",
    ),
    "error.required": ("Required.", "Obbligatorio."),
    "error.name_required": ("A name is required.", "Serve almeno un nome."),
    "error.required_one_of.vat_number_tax_code": (
        "Give the VAT number or the tax code.",
        "Indica la partita IVA o il codice fiscale.",
    ),
    "error.required_one_of.sdi_code_pec": (
        "E-invoices need an SdI code or a PEC address (0000000 alone is not enough).",
        "La fattura elettronica richiede un codice SdI o una PEC (0000000 da solo non basta).",
    ),
    "error.kind.invalid": ("Choose the kind of client.", "Scegli il tipo di cliente."),
    "error.date.invalid": ("'{value}' is not a date.", "'{value}' non è una data."),
    "error.birth_date.range": (
        "The birth date must be between 1900 and today.",
        "La data di nascita deve essere tra il 1900 e oggi.",
    ),
    "error.tax_code.checksum": (
        "The check character does not match: a character was probably mistyped.",
        "Il carattere di controllo non corrisponde: probabilmente un carattere è sbagliato.",
    ),
    "error.tax_code.length": ("The tax code has the wrong length.", "Il codice fiscale ha una lunghezza errata."),
    "error.tax_code.length_it": (
        "An Italian codice fiscale has 16 characters (persons) or 11 digits (companies).",
        "Il codice fiscale ha 16 caratteri (persone) o 11 cifre (società ed enti).",
    ),
    "error.tax_code.length_br": ("A CPF has 11 digits, a CNPJ 14.", "Il CPF ha 11 cifre, il CNPJ 14."),
    "error.tax_code.format": (
        "This is not the shape of a codice fiscale (6 letters, 2 digits, a letter, ...).",
        "Non ha la forma di un codice fiscale (6 lettere, 2 cifre, una lettera, ...).",
    ),
    "error.tax_code.component": (
        "Part of the tax code is impossible (date or place code).",
        "Una parte del codice fiscale è impossibile (data o codice del comune).",
    ),
    "error.tax_code.pa_numeric": (
        "A public administration's tax code has 11 digits.",
        "Il codice fiscale di un ente pubblico ha 11 cifre.",
    ),
    "error.vat_number.checksum": (
        "The VAT number's check digit does not match: a digit was probably mistyped.",
        "La cifra di controllo della partita IVA non corrisponde: probabilmente una cifra è sbagliata.",
    ),
    "error.vat_number.length": ("The VAT number has the wrong length.", "La partita IVA ha una lunghezza errata."),
    "error.vat_number.format": (
        "The VAT number has invalid characters.",
        "La partita IVA contiene caratteri non validi.",
    ),
    "error.vat_number.component": (
        "The VAT number's office code is impossible.",
        "Il codice dell'ufficio nella partita IVA non esiste.",
    ),
    "error.vat_number.country_mismatch": (
        "The prefix {prefix} does not match the VAT country {country}.",
        "Il prefisso {prefix} non corrisponde al paese IVA {country}.",
    ),
    "error.sdi_code.format": ("Only letters and digits.", "Solo lettere e cifre."),
    "error.sdi_code.length": ("The SdI code has 7 characters.", "Il codice destinatario ha 7 caratteri."),
    "error.sdi_code.length_pa": (
        "A public administration's office code has 6 characters.",
        "Il codice univoco ufficio ha 6 caratteri.",
    ),
    "error.sdi_code.office_code_for_company": (
        "6-character codes are for public administration offices; a company's SdI code has 7.",
        "I codici di 6 caratteri sono degli uffici pubblici; il codice SdI di un'azienda ne ha 7.",
    ),
    "error.email.invalid": ("'{value}' is not a valid e-mail address.", "'{value}' non è un indirizzo e-mail valido."),
    "error.pec.invalid": ("'{value}' is not a valid PEC address.", "'{value}' non è un indirizzo PEC valido."),
    "error.phone.invalid": ("'{value}' is not a valid phone number.", "'{value}' non è un numero di telefono valido."),
    "error.postal_code.it": ("An Italian CAP has 5 digits.", "Il CAP ha 5 cifre."),
    "error.postal_code.es": ("A Spanish postal code has 5 digits.", "Il codice postale spagnolo ha 5 cifre."),
    "error.postal_code.br": ("A Brazilian CEP has 8 digits (00000-000).", "Il CEP brasiliano ha 8 cifre (00000-000)."),
    "error.postal_code.length": ("The postal code is too long.", "Il codice postale è troppo lungo."),
    "error.province.unknown": ("'{value}' is not an Italian province.", "'{value}' non è una provincia italiana."),
    "error.country.format": (
        "Use the two-letter country code (IT, BR, ES...).",
        "Usa la sigla di due lettere (IT, BR, ES...).",
    ),
    "error.client_not_found": ("There is no client number {number}.", "Non esiste il cliente numero {number}."),
    "error.stale_edit": (
        "This card was changed meanwhile (in another window or by someone else). Nothing was overwritten: "
        "reload it and make your change again.",
        "Questa scheda è stata modificata nel frattempo (in un'altra finestra o da un altro utente). Non è stato "
        "sovrascritto nulla: ricaricala e ripeti la modifica.",
    ),
    "error.in_trash": ("The card is in the trash: restore it first.", "La scheda è nel cestino: prima ripristinala."),
    "error.cannot_deactivated": ("The card is already inactive.", "La scheda è già non attiva."),
    "error.cannot_reactivated": ("The card is already active.", "La scheda è già attiva."),
    "error.cannot_deleted": ("The card is already in the trash.", "La scheda è già nel cestino."),
    "error.cannot_restored": ("The card is not in the trash.", "La scheda non è nel cestino."),
    "error.invalid_card": ("The card has errors.", "La scheda contiene errori."),
    "error.invalid_state": ("This action does not fit the card's state.", "Questa azione non è possibile ora."),
    "error.db_locked": (
        "The database file {path} is in use by another program (process {pid}), probably another Cartella window "
        "or a command. Close it and try again.",
        "Il file dell'archivio {path} è in uso da un altro programma (processo {pid}), probabilmente un'altra "
        "finestra di Cartella o un comando. Chiudilo e riprova.",
    ),
    "error.db_unreadable": (
        "{path} is not a Cartella database (or it is damaged). Choose another file with --db or CARTELLA_DB.",
        "{path} non è un archivio di Cartella (o è danneggiato). Scegli un altro file con --db o CARTELLA_DB.",
    ),
    # warnings
    "warning.cf_surname": (
        "The codice fiscale does not match this last name.",
        "Il codice fiscale non corrisponde a questo cognome.",
    ),
    "warning.cf_name": (
        "The codice fiscale does not match this first name.",
        "Il codice fiscale non corrisponde a questo nome.",
    ),
    "warning.cf_birth_date": (
        "The codice fiscale gives another birth date.",
        "Il codice fiscale indica un'altra data di nascita.",
    ),
    "warning.private_numeric_cf": (
        "An 11-digit code belongs to a company; a person's codice fiscale has 16 characters.",
        "Un codice di 11 cifre è di una società; il codice fiscale di una persona ha 16 caratteri.",
    ),
}

for _extra in (IMPORT, MONEY, MONEY_UI):  # one file per part of the app
    _clash = _E.keys() & _extra.keys()
    assert not _clash, f"keys defined twice: {_clash}"
    _E.update(_extra)
MESSAGES: dict[str, dict[str, str]] = {key: {"en": en, "it": it} for key, (en, it) in _E.items()}

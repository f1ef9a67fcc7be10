<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="de">
<context>
    <name>AppSettings</name>
    <message>
        <location filename="../../app/appsettings.cpp" line="+25"/>
        <source>Enter the API URL.</source>
        <translation>Geben Sie die API-URL ein.</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>The API URL must be an http:// or https:// address, e.g. https://chat.example.com.</source>
        <translation>Die API-URL muss eine http://- oder https://-Adresse sein, z. B. https://chat.example.com.</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>The API URL must not contain a user name or password.</source>
        <translation>Die API-URL darf weder Benutzernamen noch Passwort enthalten.</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Enter the tenant.</source>
        <translation>Geben Sie den Mandanten ein.</translation>
    </message>
</context>
<context>
    <name>AttachmentChip</name>
    <message>
        <location filename="../../widgets/attachmentchip.cpp" line="+23"/>
        <source>Attachment</source>
        <translation>Anhang</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Remove the attachment</source>
        <translation>Anhang entfernen</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Remove attachment</source>
        <translation>Anhang entfernen</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Sends the reply without this file</source>
        <translation>Sendet die Antwort ohne diese Datei</translation>
    </message>
    <message>
        <location line="+30"/>
        <source>%1 · %2</source>
        <translation>%1 · %2</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>%1 · preparing…</source>
        <translation>%1 · wird vorbereitet…</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Attached file</source>
        <translation>Angehängte Datei</translation>
    </message>
</context>
<context>
    <name>AttachmentCopies</name>
    <message>
        <location filename="../../models/attachmentcopies.cpp" line="+53"/>
        <source>“%1” could not be kept for sending: %2</source>
        <translation>„%1“ konnte nicht zum Senden aufbewahrt werden: %2</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>the folder %1 cannot be created</source>
        <translation>der Ordner %1 kann nicht angelegt werden</translation>
    </message>
    <message>
        <location line="+41"/>
        <source>it is larger than %1</source>
        <translation>sie ist größer als %1</translation>
    </message>
</context>
<context>
    <name>AttachmentRules</name>
    <message>
        <location filename="../../models/attachment.cpp" line="+71"/>
        <source>“%1” cannot be read.</source>
        <translation>„%1“ kann nicht gelesen werden.</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>“%1” is empty.</source>
        <translation>„%1“ ist leer.</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>“%1” is %2; files up to %3 can be sent.</source>
        <translation>„%1“ ist %2 groß; Dateien bis %3 können gesendet werden.</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>“%1” cannot be sent: only photos (JPEG, PNG, WebP), PDF, text, audio (OGG, MP3) and MP4 videos are allowed.</source>
        <translation>„%1“ kann nicht gesendet werden: erlaubt sind nur Fotos (JPEG, PNG, WebP), PDF, Text, Audio (OGG, MP3) und MP4-Videos.</translation>
    </message>
</context>
<context>
    <name>CannedCompletion</name>
    <message>
        <location filename="../../widgets/cannedcompletion.cpp" line="+83"/>
        <location line="+3"/>
        <source>Canned responses</source>
        <translation>Textbausteine</translation>
    </message>
    <message>
        <location line="-2"/>
        <source>Responses whose short code or text matches what follows the slash</source>
        <translation>Textbausteine, deren Kürzel oder Text zu dem passt, was auf den Schrägstrich folgt</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Up and Down choose a response, Tab or Enter puts it in the reply, Escape closes the list</source>
        <translation>Pfeil hoch und runter wählen einen Textbaustein, Tab oder Eingabe fügt ihn in die Antwort ein, Escape schließt die Liste</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>Canned responses status</source>
        <translation>Status der Textbausteine</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Try again</source>
        <translation>Erneut versuchen</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Load the canned responses again</source>
        <translation>Textbausteine erneut laden</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Asks the server for the canned responses once more</source>
        <translation>Fragt den Server noch einmal nach den Textbausteinen</translation>
    </message>
    <message>
        <location line="+89"/>
        <source>%1: %2</source>
        <translation>%1: %2</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>Loading canned responses…</source>
        <translation>Textbausteine werden geladen …</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Canned responses could not be loaded: %1</source>
        <translation>Die Textbausteine konnten nicht geladen werden: %1</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>This account has no canned responses.</source>
        <translation>Dieses Konto hat keine Textbausteine.</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>No canned response matches “%1”.</source>
        <translation>Kein Textbaustein passt zu „%1“.</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>The list may be out of date: %1</source>
        <translation>Die Liste ist vielleicht nicht aktuell: %1</translation>
    </message>
</context>
<context>
    <name>Composer</name>
    <message>
        <location filename="../../widgets/composer.cpp" line="+43"/>
        <source>Write a reply…</source>
        <translation>Antwort schreiben…</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Reply</source>
        <translation>Antwort</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Enter sends the reply, Shift+Enter starts a new line</source>
        <translation>Die Eingabetaste sendet die Antwort, Umschalt+Eingabe beginnt eine neue Zeile</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>Send</source>
        <translation>Senden</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Send reply</source>
        <translation>Antwort senden</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Sends the reply to the customer</source>
        <translation>Sendet die Antwort an den Kunden</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Send reply (Enter)
New line: Shift+Enter</source>
        <translation>Antwort senden (Eingabetaste)
Neue Zeile: Umschalt+Eingabe</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Attach file</source>
        <translation>Datei anhängen</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Adds a photo or a file to the reply</source>
        <translation>Fügt der Antwort ein Foto oder eine Datei hinzu</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Attach file (Ctrl+O)
Or drop it here, or paste it</source>
        <translation>Datei anhängen (Strg+O)
Oder hier ablegen oder einfügen</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Attachment refused</source>
        <translation>Anhang abgelehnt</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Reply length</source>
        <translation>Länge der Antwort</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Reply too long</source>
        <translation>Antwort zu lang</translation>
    </message>
    <message>
        <location line="+200"/>
        <source>The pasted picture cannot be read.</source>
        <translation>Das eingefügte Bild kann nicht gelesen werden.</translation>
    </message>
    <message>
        <location line="+16"/>
        <source>The pasted picture could not be saved.</source>
        <translation>Das eingefügte Bild konnte nicht gespeichert werden.</translation>
    </message>
    <message>
        <location line="+82"/>
        <source>%1 / %2</source>
        <translation>%1 / %2</translation>
    </message>
    <message numerus="yes">
        <location line="+8"/>
        <source>This reply is %Ln character(s) too long: WhatsApp takes at most %1 characters. Shorten it to send.</source>
        <translation>
            <numerusform>Diese Antwort ist %Ln Zeichen zu lang: WhatsApp erlaubt höchstens %1 Zeichen. Zum Senden bitte kürzen.</numerusform>
            <numerusform>Diese Antwort ist %Ln Zeichen zu lang: WhatsApp erlaubt höchstens %1 Zeichen. Zum Senden bitte kürzen.</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>ConnectionBanner</name>
    <message>
        <location filename="../../widgets/connectionbanner.cpp" line="+56"/>
        <source>Connection status</source>
        <translation>Verbindungsstatus</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Whether replies can reach the customer right now</source>
        <translation>Ob Antworten den Kunden gerade erreichen können</translation>
    </message>
    <message>
        <location line="-8"/>
        <source>Tries to connect again now</source>
        <translation>Versucht sofort, sich erneut zu verbinden</translation>
    </message>
    <message>
        <location line="-1"/>
        <source>Reconnect now</source>
        <translation>Jetzt neu verbinden</translation>
    </message>
    <message>
        <location line="+80"/>
        <source>Connecting…</source>
        <translation>Verbindung wird hergestellt…</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Connected</source>
        <translation>Verbunden</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Reconnecting in %1 s…</source>
        <translation>Neuer Verbindungsversuch in %1 s…</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Reconnecting…</source>
        <translation>Verbindung wird wiederhergestellt…</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Disconnected</source>
        <translation>Verbindung getrennt</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Disconnected: %1</source>
        <translation>Verbindung getrennt: %1</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Connection error</source>
        <translation>Verbindungsfehler</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>%1 — trying again in %2 s…</source>
        <translation>%1 – neuer Versuch in %2 s…</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>%1 — trying again…</source>
        <translation>%1 – neuer Versuch…</translation>
    </message>
</context>
<context>
    <name>ConnectionForm</name>
    <message>
        <location filename="../../app/connectionform.cpp" line="+27"/>
        <source>API URL</source>
        <translation>API-URL</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Base address of the chat backend</source>
        <translation>Basisadresse des Chat-Backends</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Tenant</source>
        <translation>Mandant</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Your organisation&apos;s tenant id</source>
        <translation>Die Mandanten-ID Ihrer Organisation</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Optional: taken from the conversation</source>
        <translation>Optional: wird aus der Unterhaltung übernommen</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Integration</source>
        <translation>Integration</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Optional integration id; the backend names it when left empty</source>
        <translation>Optionale Integrations-ID; bleibt sie leer, bestimmt das Backend sie</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Token</source>
        <translation>Token</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Your API token; it is kept in the system keychain</source>
        <translation>Ihr API-Token; es wird im Schlüsselbund des Systems gespeichert</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Conversation</source>
        <translation>Unterhaltung</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Id of the conversation to open; signing in checks it</source>
        <translation>ID der zu öffnenden Unterhaltung; die Anmeldung prüft sie</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>Sign-in error</source>
        <translation>Anmeldefehler</translation>
    </message>
    <message>
        <location line="+13"/>
        <source>Checking the connection</source>
        <translation>Verbindung wird geprüft</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>&amp;API URL:</source>
        <translation>&amp;API-URL:</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>&amp;Tenant:</source>
        <translation>&amp;Mandant:</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>&amp;Integration:</source>
        <translation>&amp;Integration:</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>To&amp;ken:</source>
        <translation>&amp;Token:</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>&amp;Conversation:</source>
        <translation>&amp;Unterhaltung:</translation>
    </message>
    <message>
        <location line="+39"/>
        <source>Unchanged</source>
        <translation>Unverändert</translation>
    </message>
    <message>
        <location line="+35"/>
        <source>Enter your token.</source>
        <translation>Geben Sie Ihr Token ein.</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Enter the id of a conversation to open; signing in checks that it can be opened.</source>
        <translation>Geben Sie die ID einer Unterhaltung ein; die Anmeldung prüft, ob sie sich öffnen lässt.</translation>
    </message>
    <message>
        <location line="+39"/>
        <source>Checking with %1…</source>
        <translation>Prüfe bei %1…</translation>
    </message>
    <message>
        <location line="+34"/>
        <source> (server: %1)</source>
        <translation> (Server: %1)</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>The token was refused%1. Check the token and the tenant.</source>
        <translation>Das Token wurde abgelehnt%1. Prüfen Sie Token und Mandant.</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>The token may not open conversations of this tenant%1.</source>
        <translation>Das Token darf keine Unterhaltungen dieses Mandanten öffnen%1.</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Conversation “%1” was not found%2. Check the conversation id, the tenant and the API URL.</source>
        <translation>Die Unterhaltung „%1“ wurde nicht gefunden%2. Prüfen Sie die Unterhaltungs-ID, den Mandanten und die API-URL.</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>%1 answered HTTP %2: %3</source>
        <translation>%1 antwortete mit HTTP %2: %3</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>No answer from %1: %2</source>
        <translation>Keine Antwort von %1: %2</translation>
    </message>
</context>
<context>
    <name>ConsoleLink</name>
    <message>
        <location filename="../../app/consolelink.cpp" line="+66"/>
        <source>The link opens conversation “%1” on %2, but the console is signed in to %3. Sign in to that server to open it.</source>
        <translation>Der Link öffnet die Unterhaltung „%1“ auf %2, die Konsole ist aber bei %3 angemeldet. Melden Sie sich bei diesem Server an, um sie zu öffnen.</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>The link opens conversation “%1” of tenant “%2”, but the console is signed in to tenant “%3”. Sign in to that tenant to open it.</source>
        <translation>Der Link öffnet die Unterhaltung „%1“ des Mandanten „%2“, die Konsole ist aber beim Mandanten „%3“ angemeldet. Melden Sie sich bei diesem Mandanten an, um sie zu öffnen.</translation>
    </message>
</context>
<context>
    <name>ConsoleSession</name>
    <message>
        <location filename="../../app/consolesession.cpp" line="+155"/>
        <source>Only the first %1 of %2 links were opened.</source>
        <translation>Nur die ersten %1 von %2 Links wurden geöffnet.</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Cannot open the link: %1</source>
        <translation>Der Link kann nicht geöffnet werden: %1</translation>
    </message>
    <message>
        <location line="+12"/>
        <source>Link not opened</source>
        <translation>Link nicht geöffnet</translation>
    </message>
    <message>
        <location line="+52"/>
        <source>You signed out. Sign in to continue.</source>
        <translation>Sie haben sich abgemeldet. Melden Sie sich an, um fortzufahren.</translation>
    </message>
</context>
<context>
    <name>Conversation</name>
    <message>
        <location filename="../../conversation/conversation.cpp" line="+121"/>
        <source>%1 Replies are kept in memory only until they are sent.</source>
        <translation>%1 Antworten werden nur im Arbeitsspeicher gehalten, bis sie gesendet sind.</translation>
    </message>
</context>
<context>
    <name>ConversationAccessible</name>
    <message>
        <location filename="../../widgets/conversationaccessible.cpp" line="+18"/>
        <source>From customer</source>
        <translation>Vom Kunden</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Sent by you</source>
        <translation>Von Ihnen gesendet</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Sent by you, %1</source>
        <translation>Von Ihnen gesendet, %1</translation>
    </message>
    <message>
        <location line="+64"/>
        <source>Attachment %1</source>
        <translation>Anhang %1</translation>
    </message>
    <message>
        <location line="+49"/>
        <source>Cancel upload</source>
        <translation>Hochladen abbrechen</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Retry sending message</source>
        <translation>Nachricht erneut senden</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Stops the upload; the reply is not sent</source>
        <translation>Bricht das Hochladen ab; die Antwort wird nicht gesendet</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Sends this failed reply again</source>
        <translation>Sendet diese fehlgeschlagene Antwort erneut</translation>
    </message>
</context>
<context>
    <name>ConversationFind</name>
    <message>
        <location filename="../../app/conversationfind.cpp" line="+230"/>
        <source>Older messages cannot be loaded right now.</source>
        <translation>Ältere Nachrichten können gerade nicht geladen werden.</translation>
    </message>
    <message>
        <location line="+24"/>
        <source>Reached the start of the conversation: no older message matches.</source>
        <translation>Anfang der Unterhaltung erreicht: keine ältere Nachricht passt.</translation>
    </message>
</context>
<context>
    <name>ConversationHeader</name>
    <message>
        <location filename="../../widgets/conversationheader.cpp" line="+29"/>
        <source>Customer</source>
        <translation>Kunde</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Integration</source>
        <translation>Integration</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Live connection</source>
        <translation>Live-Verbindung</translation>
    </message>
    <message>
        <location line="+3"/>
        <location line="+40"/>
        <source>Copy the phone number</source>
        <translation>Telefonnummer kopieren</translation>
    </message>
    <message>
        <location line="-39"/>
        <source>Copies the customer&apos;s phone number to the clipboard</source>
        <translation>Kopiert die Telefonnummer des Kunden in die Zwischenablage</translation>
    </message>
    <message>
        <location line="+15"/>
        <source>Conversation header</source>
        <translation>Kopf der Unterhaltung</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>The customer&apos;s name and phone number, the integration and the connection</source>
        <translation>Name und Telefonnummer des Kunden, die Integration und die Verbindung</translation>
    </message>
    <message>
        <location line="+12"/>
        <source>via %1</source>
        <translation>über %1</translation>
    </message>
    <message>
        <location line="+13"/>
        <source>Phone %1, copy</source>
        <translation>Telefon %1, kopieren</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>Copied</source>
        <translation>Kopiert</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>● Connecting</source>
        <translation>● Verbindet</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>● Live</source>
        <translation>● Live</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>● Reconnecting</source>
        <translation>● Verbindet neu</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>● Offline</source>
        <translation>● Offline</translation>
    </message>
</context>
<context>
    <name>ConversationListModel</name>
    <message numerus="yes">
        <location filename="../../models/conversationlistmodel.cpp" line="+61"/>
        <source>, %n unread</source>
        <translation>
            <numerusform>, %n ungelesen</numerusform>
            <numerusform>, %n ungelesen</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location line="+2"/>
        <source>, %n not sent</source>
        <translation>
            <numerusform>, %n nicht gesendet</numerusform>
            <numerusform>, %n nicht gesendet</numerusform>
        </translation>
    </message>
    <message>
        <location line="+2"/>
        <source>, last message: %1</source>
        <translation>, letzte Nachricht: %1</translation>
    </message>
</context>
<context>
    <name>ConversationPage</name>
    <message>
        <location filename="../../app/conversationpage.cpp" line="+197"/>
        <source>Attach file</source>
        <translation>Datei anhängen</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Photos, PDF, text, audio and video (*.jpg *.jpeg *.png *.webp *.pdf *.txt *.ogg *.oga *.opus *.mp3 *.mp4)</source>
        <translation>Fotos, PDF, Text, Audio und Video (*.jpg *.jpeg *.png *.webp *.pdf *.txt *.ogg *.oga *.opus *.mp3 *.mp4)</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>All files (*)</source>
        <translation>Alle Dateien (*)</translation>
    </message>
    <message>
        <location line="+108"/>
        <source>Reconnect now</source>
        <translation>Jetzt neu verbinden</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Try again</source>
        <translation>Erneut versuchen</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Try now</source>
        <translation>Jetzt versuchen</translation>
    </message>
    <message>
        <location line="+11"/>
        <source>&amp;Retry</source>
        <translation>&amp;Erneut senden</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>&amp;Discard</source>
        <translation>&amp;Verwerfen</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>Cancel &amp;upload</source>
        <translation>&amp;Hochladen abbrechen</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>&amp;Open attachment</source>
        <translation>Anhang ö&amp;ffnen</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>&amp;Save attachment as…</source>
        <translation>Anhang &amp;speichern unter…</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>&amp;Copy text</source>
        <translation>Text &amp;kopieren</translation>
    </message>
</context>
<context>
    <name>ConversationRowDelegate</name>
    <message>
        <location filename="../../widgets/conversationrowdelegate.cpp" line="+53"/>
        <source>Yesterday</source>
        <translation>Gestern</translation>
    </message>
</context>
<context>
    <name>ConversationSidebar</name>
    <message>
        <location filename="../../widgets/conversationsidebar.cpp" line="+23"/>
        <source>Open conversations</source>
        <translation>Offene Unterhaltungen</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Conversations you have open. Select one to show it; its context menu closes it.</source>
        <translation>Ihre geöffneten Unterhaltungen. Wählen Sie eine aus, um sie anzuzeigen; über ihr Kontextmenü schließen Sie sie.</translation>
    </message>
    <message>
        <location line="+37"/>
        <source>&amp;Close conversation</source>
        <translation>Unterhaltung &amp;schließen</translation>
    </message>
</context>
<context>
    <name>ConversationView</name>
    <message>
        <location filename="../../widgets/conversationview.cpp" line="+37"/>
        <source>Conversation</source>
        <translation>Unterhaltung</translation>
    </message>
    <message>
        <location line="+19"/>
        <source>Messages of this conversation, oldest first</source>
        <translation>Nachrichten dieser Unterhaltung, älteste zuerst</translation>
    </message>
</context>
<context>
    <name>DemoBackend</name>
    <message>
        <location filename="../../app/demobackend.cpp" line="+29"/>
        <source>Cannot start the demo backend on a loopback port.</source>
        <translation>Das Demo-Backend kann auf keinem Loopback-Port gestartet werden.</translation>
    </message>
    <message>
        <location line="+15"/>
        <source>Hi {{customer.name}}, thanks for getting in touch! How can I help you today?</source>
        <translation>Hallo {{customer.name}}, danke für Ihre Nachricht! Wie kann ich Ihnen heute helfen?</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Hi {{customer.name}}, your refund has been issued. It usually reaches your account within 3 to 5 business days.</source>
        <translation>Hallo {{customer.name}}, Ihre Erstattung ist veranlasst. Sie kommt in der Regel innerhalb von 3 bis 5 Werktagen auf Ihrem Konto an.</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>You can follow your parcel with the tracking link in your shipping email. Let me know if it has not moved in two days.</source>
        <translation>Sie können Ihr Paket über den Sendungslink in Ihrer Versandbestätigung verfolgen. Sagen Sie mir Bescheid, wenn es sich in zwei Tagen nicht bewegt hat.</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>We will call you back on {{customer.phone}} within the next hour.</source>
        <translation>Wir rufen Sie innerhalb der nächsten Stunde unter {{customer.phone}} zurück.</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Thank you for your patience, {{customer.name}}. Is there anything else I can do for you?</source>
        <translation>Danke für Ihre Geduld, {{customer.name}}. Kann ich sonst noch etwas für Sie tun?</translation>
    </message>
</context>
<context>
    <name>FailedRepliesBar</name>
    <message>
        <location filename="../../widgets/failedrepliesbar.cpp" line="+18"/>
        <location line="+2"/>
        <source>Show the first reply not sent</source>
        <translation>Erste nicht gesendete Antwort zeigen</translation>
    </message>
    <message>
        <location line="-1"/>
        <source>Scrolls to the first reply not sent and selects it</source>
        <translation>Scrollt zur ersten nicht gesendeten Antwort und wählt sie aus</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Retry all</source>
        <translation>Alle erneut senden</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Retry all replies not sent</source>
        <translation>Alle nicht gesendeten Antworten erneut senden</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Sends every failed reply again, in order</source>
        <translation>Sendet alle fehlgeschlagenen Antworten der Reihe nach erneut</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Discard all</source>
        <translation>Alle verwerfen</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Discard all replies not sent</source>
        <translation>Alle nicht gesendeten Antworten verwerfen</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Removes every failed reply from the conversation</source>
        <translation>Entfernt alle fehlgeschlagenen Antworten aus der Unterhaltung</translation>
    </message>
    <message>
        <location line="+11"/>
        <source>Failed replies</source>
        <translation>Fehlgeschlagene Antworten</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Replies that could not be sent</source>
        <translation>Antworten, die nicht gesendet werden konnten</translation>
    </message>
    <message numerus="yes">
        <location line="+15"/>
        <source>%n replies not sent</source>
        <translation>
            <numerusform>%n Antwort nicht gesendet</numerusform>
            <numerusform>%n Antworten nicht gesendet</numerusform>
        </translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Connection is back · %1</source>
        <translation>Verbindung wiederhergestellt · %1</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>%1, show the first</source>
        <translation>%1, die erste zeigen</translation>
    </message>
</context>
<context>
    <name>FindBar</name>
    <message>
        <location filename="../../widgets/findbar.cpp" line="+24"/>
        <location line="+3"/>
        <source>Find in conversation</source>
        <translation>In der Unterhaltung suchen</translation>
    </message>
    <message>
        <location line="-2"/>
        <source>Finds text in the messages of this conversation</source>
        <translation>Sucht Text in den Nachrichten dieser Unterhaltung</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Find</source>
        <translation>Suchen</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Case and accents are ignored. Enter: next match (older), Shift+Enter: previous, Escape: close</source>
        <translation>Groß-/Kleinschreibung und Akzente werden ignoriert. Eingabe: nächster Treffer (älter), Umschalt+Eingabe: vorheriger, Escape: schließen</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Matches</source>
        <translation>Treffer</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Search progress</source>
        <translation>Suchfortschritt</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Newer match</source>
        <translation>Neuerer Treffer</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Goes to the match after this one in the conversation (Shift+F3)</source>
        <translation>Geht zum Treffer nach diesem in der Unterhaltung (Umschalt+F3)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Newer match (Shift+F3, Shift+Enter)</source>
        <translation>Neuerer Treffer (Umschalt+F3, Umschalt+Eingabe)</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Older match</source>
        <translation>Älterer Treffer</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Goes to the match before this one in the conversation (F3)</source>
        <translation>Geht zum Treffer vor diesem in der Unterhaltung (F3)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Older match (F3, Enter)</source>
        <translation>Älterer Treffer (F3, Eingabe)</translation>
    </message>
    <message>
        <location line="+1"/>
        <location line="+1"/>
        <source>Search older messages</source>
        <translation>Ältere Nachrichten durchsuchen</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Loads older messages from the server until one matches</source>
        <translation>Lädt ältere Nachrichten vom Server, bis eine passt</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Stop</source>
        <translation>Anhalten</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Stop searching older messages</source>
        <translation>Suche in älteren Nachrichten anhalten</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Stops loading older messages</source>
        <translation>Hört auf, ältere Nachrichten zu laden</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Close find</source>
        <translation>Suche schließen</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Closes the find bar (Escape)</source>
        <translation>Schließt die Suchleiste (Escape)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Close (Escape)</source>
        <translation>Schließen (Escape)</translation>
    </message>
    <message>
        <location line="+48"/>
        <source>%1 of %2</source>
        <translation>%1 von %2</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>No matches</source>
        <translation>Keine Treffer</translation>
    </message>
    <message numerus="yes">
        <location line="+21"/>
        <source>Searching older messages… %Ln loaded</source>
        <translation>
            <numerusform>Ältere Nachrichten werden durchsucht … %Ln geladen</numerusform>
            <numerusform>Ältere Nachrichten werden durchsucht … %Ln geladen</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>FreedesktopNotifier</name>
    <message>
        <location filename="../../app/freedesktopnotifier.cpp" line="+90"/>
        <source>Open</source>
        <translation>Öffnen</translation>
    </message>
</context>
<context>
    <name>HistorySync</name>
    <message>
        <location filename="../../conversation/historysync.cpp" line="+30"/>
        <source>Cannot open the conversation: %1</source>
        <translation>Die Unterhaltung kann nicht geöffnet werden: %1</translation>
    </message>
    <message>
        <location line="+119"/>
        <source>Cannot load the conversation: %1</source>
        <translation>Die Unterhaltung kann nicht geladen werden: %1</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Could not load messages: %1</source>
        <translation>Nachrichten konnten nicht geladen werden: %1</translation>
    </message>
</context>
<context>
    <name>ImageDecoding</name>
    <message>
        <location filename="../../widgets/imagedecoding.cpp" line="+43"/>
        <source>The picture does not say how large it is.</source>
        <translation>Das Bild gibt seine Größe nicht an.</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>This is not a picture that can be shown.</source>
        <translation>Dies ist kein Bild, das angezeigt werden kann.</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>The picture is too large to show (%1 × %2 pixels).</source>
        <translation>Das Bild ist zu groß zum Anzeigen (%1 × %2 Pixel).</translation>
    </message>
    <message>
        <location line="+11"/>
        <source>The picture cannot be read: %1</source>
        <translation>Das Bild kann nicht gelesen werden: %1</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>The file cannot be opened: %1</source>
        <translation>Die Datei kann nicht geöffnet werden: %1</translation>
    </message>
</context>
<context>
    <name>ImageViewer</name>
    <message>
        <location filename="../../app/imageviewer.cpp" line="+31"/>
        <source>%1 — Agent Console</source>
        <translation>%1 — Agent Console</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Picture viewer</source>
        <translation>Bildbetrachter</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Picture</source>
        <translation>Bild</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Zoom</source>
        <translation>Zoom</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Fit</source>
        <translation>Einpassen</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Fit to window</source>
        <translation>In das Fenster einpassen</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>−</source>
        <translation>−</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Zoom out</source>
        <translation>Verkleinern</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>+</source>
        <translation>+</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Zoom in</source>
        <translation>Vergrößern</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>100 %</source>
        <translation>100 %</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Actual size</source>
        <translation>Originalgröße</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Save as…</source>
        <translation>Speichern unter…</translation>
    </message>
    <message>
        <location line="+0"/>
        <location line="+108"/>
        <source>Save the picture as</source>
        <translation>Bild speichern unter</translation>
    </message>
    <message>
        <location line="-89"/>
        <source>Loading…</source>
        <translation>Wird geladen…</translation>
    </message>
    <message>
        <location line="+36"/>
        <source>This picture cannot be shown: %1</source>
        <translation>Dieses Bild kann nicht angezeigt werden: %1</translation>
    </message>
    <message>
        <location line="+41"/>
        <source>%1 %  ·  %2 × %3</source>
        <translation>%1 %  ·  %2 × %3</translation>
    </message>
    <message>
        <location line="+23"/>
        <source>The picture could not be saved to %1.</source>
        <translation>Das Bild konnte nicht unter %1 gespeichert werden.</translation>
    </message>
</context>
<context>
    <name>MainWindow</name>
    <message>
        <location filename="../../app/mainwindow.cpp" line="+52"/>
        <source>No conversation is open.
Open one with Conversation → Open conversation… (%1).</source>
        <translation>Keine Unterhaltung geöffnet.
Öffnen Sie eine über Unterhaltung → Unterhaltung öffnen… (%1).</translation>
    </message>
    <message>
        <location line="+99"/>
        <source>Close conversation</source>
        <translation>Unterhaltung schließen</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Replies in this conversation are not sent yet. They stay saved and are sent when the conversation is open again.</source>
        <translation>Antworten in dieser Unterhaltung sind noch nicht gesendet. Sie bleiben gespeichert und werden gesendet, sobald die Unterhaltung wieder geöffnet ist.</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Close anyway</source>
        <translation>Trotzdem schließen</translation>
    </message>
    <message>
        <location line="+62"/>
        <source>Agent Console</source>
        <translation>Agent Console</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>%1 — Agent Console</source>
        <translation>%1 — Agent Console</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>(%1) %2</source>
        <translation>(%1) %2</translation>
    </message>
    <message>
        <location line="+43"/>
        <source>&amp;Conversation</source>
        <translation>&amp;Unterhaltung</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>&amp;Open conversation…</source>
        <translation>Unterhaltung ö&amp;ffnen…</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>&amp;Close conversation</source>
        <translation>Unterhaltung &amp;schließen</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>&amp;Next conversation</source>
        <translation>&amp;Nächste Unterhaltung</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>&amp;Previous conversation</source>
        <translation>&amp;Vorherige Unterhaltung</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>&amp;Settings…</source>
        <translation>&amp;Einstellungen…</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>&amp;Quit</source>
        <translation>&amp;Beenden</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>&amp;Message</source>
        <translation>&amp;Nachricht</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>&amp;Write a reply</source>
        <translation>Antwort &amp;schreiben</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>&amp;Attach file…</source>
        <translation>Datei &amp;anhängen…</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>&amp;Retry selected reply</source>
        <translation>Ausgewählte Antwort &amp;erneut senden</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>&amp;Copy message text</source>
        <translation>Nachrichtentext &amp;kopieren</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>&amp;Find in conversation…</source>
        <translation>In der Unterhaltung &amp;suchen …</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Find &amp;older match</source>
        <translation>&amp;Älteren Treffer suchen</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Find &amp;newer match</source>
        <translation>&amp;Neueren Treffer suchen</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Canned &amp;responses</source>
        <translation>&amp;Textbausteine</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>Sends the selected failed reply again</source>
        <translation>Sendet die ausgewählte fehlgeschlagene Antwort erneut</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Copies the text of the selected message</source>
        <translation>Kopiert den Text der ausgewählten Nachricht</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>&amp;Demo</source>
        <translation>&amp;Demo</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Simulate upstream &amp;outage</source>
        <translation>&amp;Ausfall des Upstreams simulieren</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>While checked, the backend cannot reach WhatsApp: replies fail and can be retried.</source>
        <translation>Solange aktiviert, erreicht das Backend WhatsApp nicht: Antworten schlagen fehl und können erneut gesendet werden.</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Customer &amp;writes</source>
        <translation>Kunde &amp;schreibt</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>&amp;Help</source>
        <translation>&amp;Hilfe</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>&amp;Keyboard shortcuts</source>
        <translation>&amp;Tastenkürzel</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>&amp;About Agent Console</source>
        <translation>Ü&amp;ber Agent Console</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>About Agent Console</source>
        <translation>Über Agent Console</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Agent Console %1
A native console for customer-support agents.</source>
        <translation>Agent Console %1
Eine native Konsole für Mitarbeiterinnen und Mitarbeiter im Kundensupport.</translation>
    </message>
    <message>
        <location line="+26"/>
        <source>No canned responses in this window</source>
        <translation>Keine Textbausteine in diesem Fenster</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>/%1 — %2</source>
        <translation>/%1 — %2</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>Loading canned responses…</source>
        <translation>Textbausteine werden geladen …</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Could not load the canned responses: %1</source>
        <translation>Die Textbausteine konnten nicht geladen werden: %1</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>This account has no canned responses.</source>
        <translation>Dieses Konto hat keine Textbausteine.</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>&amp;Reload canned responses</source>
        <translation>Textbausteine neu &amp;laden</translation>
    </message>
    <message>
        <location line="+16"/>
        <source>Open Conversation</source>
        <translation>Unterhaltung öffnen</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Conversation id:</source>
        <translation>Unterhaltungs-ID:</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Open</source>
        <translation>Öffnen</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Conversation id</source>
        <translation>Unterhaltungs-ID</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>The id of the conversation to open, as the backend names it</source>
        <translation>Die ID der zu öffnenden Unterhaltung, wie das Backend sie nennt</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Opens the conversation with this id</source>
        <translation>Öffnet die Unterhaltung mit dieser ID</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Closes the dialog without opening a conversation</source>
        <translation>Schließt den Dialog, ohne eine Unterhaltung zu öffnen</translation>
    </message>
</context>
<context>
    <name>MediaBubble</name>
    <message>
        <location filename="../../widgets/mediabubble.cpp" line="+117"/>
        <source>Image</source>
        <translation>Bild</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>PDF document</source>
        <translation>PDF-Dokument</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Audio</source>
        <translation>Audio</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Video</source>
        <translation>Video</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Text file</source>
        <translation>Textdatei</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>File</source>
        <translation>Datei</translation>
    </message>
    <message>
        <location line="+68"/>
        <source>%1 · %2</source>
        <translation>%1 · %2</translation>
    </message>
</context>
<context>
    <name>MediaFetcher</name>
    <message>
        <location filename="../../conversation/mediafetcher.cpp" line="+27"/>
        <source>The download cannot be kept in the cache folder.</source>
        <translation>Der Download kann nicht im Cache-Ordner abgelegt werden.</translation>
    </message>
    <message>
        <location line="+51"/>
        <source>This file is not on the backend&apos;s own server.</source>
        <translation>Diese Datei liegt nicht auf dem eigenen Server des Backends.</translation>
    </message>
</context>
<context>
    <name>MediaOpener</name>
    <message>
        <location filename="../../app/mediaopener.cpp" line="+29"/>
        <source>The file could not be downloaded: %1</source>
        <translation>Die Datei konnte nicht heruntergeladen werden: %1</translation>
    </message>
    <message>
        <location line="+26"/>
        <source>“%1” is not available.</source>
        <translation>„%1“ ist nicht verfügbar.</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>“%1” is not on the backend&apos;s server and is not opened.</source>
        <translation>„%1“ liegt nicht auf dem Server des Backends und wird nicht geöffnet.</translation>
    </message>
    <message>
        <location line="+18"/>
        <source>“%1” is not opened: its name does not match what it contains. Save it with Save attachment as… to look at it.</source>
        <translation>„%1“ wird nicht geöffnet: Sein Name passt nicht zu seinem Inhalt. Speichern Sie die Datei mit „Anhang speichern unter…“, um sie anzusehen.</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>No program on this computer opens “%1”.</source>
        <translation>Kein Programm auf diesem Computer öffnet „%1“.</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Save the attachment as</source>
        <translation>Anhang speichern unter</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>The file could not be saved to %1.</source>
        <translation>Die Datei konnte nicht unter %1 gespeichert werden.</translation>
    </message>
</context>
<context>
    <name>MessageDelegate</name>
    <message>
        <location filename="../../widgets/bubblestyle.cpp" line="+21"/>
        <source>Not sent</source>
        <translation>Nicht gesendet</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Queued</source>
        <translation>In Warteschlange</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Retry</source>
        <translation>Erneut senden</translation>
    </message>
    <message>
        <location filename="../../widgets/messagedelegate.cpp" line="+276"/>
        <source>Cannot show this picture</source>
        <translation>Dieses Bild kann nicht angezeigt werden</translation>
    </message>
    <message>
        <location line="+138"/>
        <source>Retry sending message</source>
        <translation>Nachricht erneut senden</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Cancel the upload (the reply is not sent)</source>
        <translation>Hochladen abbrechen (die Antwort wird nicht gesendet)</translation>
    </message>
    <message>
        <location filename="../../widgets/messagedelegatetext.cpp" line="+28"/>
        <source>Queued — waiting for an earlier reply</source>
        <translation>In Warteschlange – wartet auf eine frühere Antwort</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Uploading, %1 %</source>
        <translation>Wird hochgeladen, %1 %</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Pending</source>
        <translation>Wird gesendet</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Sent</source>
        <translation>Gesendet</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Delivered</source>
        <translation>Zugestellt</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Read</source>
        <translation>Gelesen</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Failed: %1</source>
        <translation>Fehlgeschlagen: %1</translation>
    </message>
    <message>
        <location line="+14"/>
        <source>%1: %2</source>
        <translation>%1: %2</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>You: %1</source>
        <translation>Sie: %1</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Customer: %1</source>
        <translation>Kunde: %1</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>attachment %1</source>
        <translation>Anhang %1</translation>
    </message>
</context>
<context>
    <name>NotificationCenter</name>
    <message>
        <location filename="../../app/notificationcenter.cpp" line="+29"/>
        <source>Conversation %1</source>
        <translation>Unterhaltung %1</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Sent an attachment</source>
        <translation>Hat einen Anhang gesendet</translation>
    </message>
</context>
<context>
    <name>OutboxStore</name>
    <message>
        <location filename="../../models/outboxstore.cpp" line="+45"/>
        <source>the SQLite driver is missing</source>
        <translation>der SQLite-Treiber fehlt</translation>
    </message>
    <message>
        <location line="+24"/>
        <source>the file is not a usable database</source>
        <translation>die Datei ist keine verwendbare Datenbank</translation>
    </message>
    <message>
        <location line="+31"/>
        <source>the folder cannot be created</source>
        <translation>der Ordner kann nicht angelegt werden</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Unsent replies cannot be saved to %1: %2.</source>
        <translation>Nicht gesendete Antworten können nicht in %1 gespeichert werden: %2.</translation>
    </message>
    <message>
        <location line="+32"/>
        <source>Saving unsent replies failed: %1.</source>
        <translation>Nicht gesendete Antworten konnten nicht gespeichert werden: %1.</translation>
    </message>
</context>
<context>
    <name>QGuiApplication</name>
    <message>
        <location filename="../../app/translations.cpp" line="+11"/>
        <source>QT_LAYOUT_DIRECTION</source>
        <translation>LTR</translation>
    </message>
</context>
<context>
    <name>SettingsDialog</name>
    <message>
        <location filename="../../app/settingsdialog.cpp" line="+18"/>
        <source>Settings — Agent Console</source>
        <translation>Einstellungen — Agent Console</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Leave the token empty to keep the current one. Saving checks the settings by opening the conversation below.</source>
        <translation>Lassen Sie das Token leer, um das bisherige zu behalten. Beim Speichern werden die Einstellungen geprüft, indem die unten angegebene Unterhaltung geöffnet wird.</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>Checks the new settings with the backend, then keeps them</source>
        <translation>Prüft die neuen Einstellungen beim Backend und übernimmt sie dann</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Sign out</source>
        <translation>Abmelden</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Removes the token from the keychain</source>
        <translation>Entfernt das Token aus dem Schlüsselbund</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Closes the dialog and keeps the current settings</source>
        <translation>Schließt den Dialog und behält die bisherigen Einstellungen</translation>
    </message>
    <message>
        <location line="+29"/>
        <source>Could not sign out: %1</source>
        <translation>Abmelden nicht möglich: %1</translation>
    </message>
</context>
<context>
    <name>ShortcutsDialog</name>
    <message>
        <location filename="../../app/shortcutsdialog.cpp" line="+14"/>
        <source>Keyboard Shortcuts</source>
        <translation>Tastenkürzel</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Action</source>
        <translation>Aktion</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Shortcut</source>
        <translation>Tastenkürzel</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Keyboard shortcuts</source>
        <translation>Tastenkürzel</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Each action of the window with the keys that run it</source>
        <translation>Jede Aktion des Fensters mit den Tasten, die sie ausführen</translation>
    </message>
    <message>
        <location line="+11"/>
        <source>Closes the list of shortcuts</source>
        <translation>Schließt die Liste der Tastenkürzel</translation>
    </message>
</context>
<context>
    <name>SignInDialog</name>
    <message>
        <location filename="../../app/signindialog.cpp" line="+17"/>
        <source>Sign in — Agent Console</source>
        <translation>Anmelden — Agent Console</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>Sign in to your chat backend. The token is kept in the system keychain.</source>
        <translation>Melden Sie sich bei Ihrem Chat-Backend an. Das Token wird im Schlüsselbund des Systems gespeichert.</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Sign in</source>
        <translation>Anmelden</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Checks the address, tenant and token with the backend, then signs in</source>
        <translation>Prüft Adresse, Mandant und Token beim Backend und meldet Sie dann an</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Closes the dialog without signing in</source>
        <translation>Schließt den Dialog, ohne Sie anzumelden</translation>
    </message>
</context>
<context>
    <name>SingleInstance</name>
    <message>
        <location filename="../../app/singleinstance.cpp" line="+168"/>
        <source>Agent Console is already running (process %1) but does not answer. Close it and start again.</source>
        <translation>Agent Console läuft bereits (Prozess %1), antwortet aber nicht. Schließen Sie es und starten Sie erneut.</translation>
    </message>
</context>
<context>
    <name>SocketIoClient</name>
    <message>
        <location filename="../../net/socketioclient.cpp" line="+111"/>
        <source>The sign-in data is larger than the server accepts (maxPayload).</source>
        <translation>Die Anmeldedaten sind größer, als der Server annimmt (maxPayload).</translation>
    </message>
    <message>
        <location line="+46"/>
        <source>The server refused the connection.</source>
        <translation>Der Server hat die Verbindung abgelehnt.</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>The server closed the connection.</source>
        <translation>Der Server hat die Verbindung beendet.</translation>
    </message>
</context>
<context>
    <name>ThumbnailCache</name>
    <message>
        <location filename="../../widgets/thumbnailcache.cpp" line="+54"/>
        <source>The picture is not available.</source>
        <translation>Das Bild ist nicht verfügbar.</translation>
    </message>
</context>
<context>
    <name>TokenStore</name>
    <message>
        <location filename="../../app/tokenstore.cpp" line="+131"/>
        <source>The keychain refused access: %1</source>
        <translation>Der Schlüsselbund hat den Zugriff verweigert: %1</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>No keychain is available (%1). The token is kept for this session only and must be entered again after a restart.</source>
        <translation>Kein Schlüsselbund verfügbar (%1). Das Token gilt nur für diese Sitzung und muss nach einem Neustart erneut eingegeben werden.</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>no Secret Service</source>
        <translation>kein Secret Service</translation>
    </message>
</context>
<context>
    <name>TrayIcon</name>
    <message>
        <location filename="../../app/trayicon.cpp" line="+25"/>
        <source>&amp;Show Agent Console</source>
        <translation>Agent Console &amp;anzeigen</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>&amp;Quit</source>
        <translation>&amp;Beenden</translation>
    </message>
    <message numerus="yes">
        <location line="+49"/>
        <source>%n unread</source>
        <translation>
            <numerusform>%n ungelesen</numerusform>
            <numerusform>%n ungelesen</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location line="+2"/>
        <source>%n not sent</source>
        <translation>
            <numerusform>%n nicht gesendet</numerusform>
            <numerusform>%n nicht gesendet</numerusform>
        </translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Agent Console</source>
        <translation>Agent Console</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>%1 — %2</source>
        <translation>%1 — %2</translation>
    </message>
</context>
<context>
    <name>WidgetApiClient</name>
    <message>
        <location filename="../../net/widgetapiclient.cpp" line="+69"/>
        <source>The secure connection to %1 failed: %2</source>
        <translation>Die sichere Verbindung zu %1 ist fehlgeschlagen: %2</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>The certificate of %1 is not trusted: %2</source>
        <translation>Dem Zertifikat von %1 wird nicht vertraut: %2</translation>
    </message>
    <message>
        <location line="+16"/>
        <source>The server did not answer in time.</source>
        <translation>Der Server hat nicht rechtzeitig geantwortet.</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Cannot reach the server: %1</source>
        <translation>Der Server ist nicht erreichbar: %1</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>The server&apos;s reply is larger than %1 MiB and was not read.</source>
        <translation>Die Serverantwort ist größer als %1 MiB und wurde nicht gelesen.</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>The server redirected the request (HTTP %1); redirects are not followed.</source>
        <translation>Der Server hat die Anfrage umgeleitet (HTTP %1); Umleitungen werden nicht verfolgt.</translation>
    </message>
    <message>
        <location line="+220"/>
        <source>The file is larger than %1 MiB and was not downloaded.</source>
        <translation>Die Datei ist größer als %1 MiB und wurde nicht heruntergeladen.</translation>
    </message>
    <message>
        <location line="+5"/>
        <location line="+3"/>
        <source>The download cannot be saved: %1</source>
        <translation>Der Download kann nicht gespeichert werden: %1</translation>
    </message>
    <message>
        <location filename="../../net/widgetapiupload.cpp" line="+64"/>
        <source>The attached file cannot be read: %1</source>
        <translation>Die angehängte Datei kann nicht gelesen werden: %1</translation>
    </message>
</context>
<context>
    <name>Wire</name>
    <message>
        <location filename="../../net/wirejson.cpp" line="+270"/>
        <location line="+8"/>
        <location line="+10"/>
        <location line="+53"/>
        <source>The server&apos;s reply is not JSON (%1).</source>
        <translation>Die Serverantwort ist kein JSON (%1).</translation>
    </message>
    <message>
        <location line="-64"/>
        <location line="+68"/>
        <source>The server&apos;s reply is not a JSON object.</source>
        <translation>Die Serverantwort ist kein JSON-Objekt.</translation>
    </message>
    <message>
        <location line="-22"/>
        <source>The conversation context has no wa_id.</source>
        <translation>Der Kontext der Unterhaltung enthält keine wa_id.</translation>
    </message>
    <message>
        <location line="+40"/>
        <source>The canned responses reply has no list.</source>
        <translation>Die Antwort mit den Textbausteinen enthält keine Liste.</translation>
    </message>
    <message>
        <location line="+57"/>
        <source>The history reply has no message list.</source>
        <translation>Die Verlaufsantwort des Servers enthält keine Nachrichtenliste.</translation>
    </message>
    <message>
        <location line="+76"/>
        <source>The server answered with HTTP status %1.</source>
        <translation>Der Server antwortete mit HTTP-Status %1.</translation>
    </message>
    <message>
        <location filename="../../net/mediajson.cpp" line="+67"/>
        <source>The server&apos;s upload answer has no usable mediaUrl.</source>
        <translation>Die Antwort des Servers auf das Hochladen enthält keine brauchbare mediaUrl.</translation>
    </message>
</context>
<context>
    <name>Workspace</name>
    <message>
        <location filename="../../app/workspace.cpp" line="+158"/>
        <source>Sent an attachment</source>
        <translation>Hat einen Anhang gesendet</translation>
    </message>
    <message>
        <location line="+12"/>
        <source>Attachment</source>
        <translation>Anhang</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>You: %1</source>
        <translation>Sie: %1</translation>
    </message>
</context>
</TS>

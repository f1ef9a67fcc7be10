// The canned responses widget-server serves per tenant (CONTRACT.md §6): the table of a JSON file
// (tenant → list), reloadable while the server runs like the tokens file, or set in-process (the demo).
#pragma once

#include <QHash>
#include <QList>
#include <QObject>
#include <QString>

#include <optional>

class CannedResponseTable : public QObject
{
    Q_OBJECT
public:
    struct Entry
    {
        QString id;
        QString shortCode;
        QString content;
    };
    using Table = QHash<QString, QList<Entry>>; // tenant → its responses, in the file's order

    // A short code is what the agent types after "/": one word.
    static constexpr int MaxShortCodeLength = 64;
    // WhatsApp's limit for a text message: a longer response could never be sent (issue 5).
    static constexpr int MaxContentLength = 4096;

    explicit CannedResponseTable(QObject *parent = nullptr);

    // Parses the file's text: {"tenant": [{"id": "1", "shortCode": "refund", "content": "..."}], ...}.
    // `id` may be left out (then the position, from 1). nullopt and *error ("tenant 'acme', entry 2: ...")
    // for anything else: not an object, an entry without a short code or content, a short code with
    // white space or given twice in one tenant, content over the limit.
    static std::optional<Table> parse(const QByteArray &text, QString *error);

    // Replaces the table with the file's, all or nothing: on any error the table stays as it was and
    // error() says why. The file is remembered for reload().
    bool loadFile(const QString &path);
    bool reload(); // loadFile() of the remembered file; logs the outcome
    QString fileName() const { return m_fileName; }
    QString error() const { return m_error; }

    void setForTenant(const QString &tenant, const QList<Entry> &entries);
    QList<Entry> forTenant(const QString &tenant) const { return m_table.value(tenant); }

private:
    Table m_table;
    QString m_fileName;
    QString m_error;
};

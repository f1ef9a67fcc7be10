// Which bearer tokens widget-server accepts and which tenant each one may reach: the table of a
// tokens file (one "token tenantId" per line), reloadable while the server runs, plus an optional
// token valid for every tenant (the single-token mode of --token-file and the in-process uses).
#pragma once

#include <QByteArray>
#include <QHash>
#include <QList>
#include <QObject>
#include <QString>

#include <optional>

class TokenRegistry : public QObject
{
    Q_OBJECT
public:
    struct Entry
    {
        QString token;
        QString tenant;
    };

    explicit TokenRegistry(QObject *parent = nullptr);

    // Parses the text of a tokens file: blank lines and lines starting with '#' are skipped, every other
    // line is a token and a tenant id separated by white space. nullopt and *error ("line 3: ...") for the
    // first malformed line, a token given twice, or a file without any token.
    static std::optional<QList<Entry>> parse(const QByteArray &text, QString *error);

    // Replaces the table with the file's, all or nothing: on any error the table stays as it was and
    // error() says why. The file is remembered for reload().
    bool loadFile(const QString &path);
    bool reload(); // loadFile() of the remembered file; logs the outcome, never the tokens
    QString fileName() const { return m_fileName; }
    QString error() const { return m_error; }
    qsizetype size() const { return m_entries.size(); }

    // The single-token mode: a token that reaches every tenant (empty = none).
    void setAnyTenantToken(const QString &token);

    // Both look the token up by its SHA-256 digest (as the Node server does), so the time taken tells
    // nothing about how close a guess was to a token, and costs the same for ten tokens as for ten thousand.
    bool isKnown(const QString &token) const; // valid for at least one tenant
    // The token of an Authorization header's value ("Bearer <token>"); empty for any other.
    static QString bearer(const QByteArray &authorization);
    bool allows(const QString &token, const QString &tenant) const;

signals:
    void changed(); // the table was replaced (a successful load or reload)

private:
    static QByteArray digest(const QString &token);
    void index();

    QList<Entry> m_entries;
    QHash<QByteArray, QString> m_tenantOfDigest; // SHA-256 of each token of m_entries -> its tenant
    QString m_anyTenantToken;
    QByteArray m_anyTenantDigest; // empty: none
    QString m_fileName;
    QString m_error;
};

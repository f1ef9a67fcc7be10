#include "tokenregistry.h"

#include "configfile.h"
#include "serverlog.h"

#include <QCryptographicHash>
#include <QHash>
#include <QRegularExpression>

namespace {

// Far above any real tokens file; keeps a wrong path (a log, a disk image) from being read whole.
constexpr qint64 MaxFileBytes = 1024 * 1024;

// A token travels in an Authorization header and a Socket.IO auth string: visible ASCII only.
bool headerSafe(const QString &token)
{
    for (const QChar c : token) {
        if (c.unicode() <= 0x20 || c.unicode() >= 0x7f)
            return false;
    }
    return true;
}

} // namespace

TokenRegistry::TokenRegistry(QObject *parent)
    : QObject(parent)
{
}

std::optional<QList<TokenRegistry::Entry>> TokenRegistry::parse(const QByteArray &text, QString *error)
{
    static const QRegularExpression space(QStringLiteral("\\s+"));
    QList<Entry> entries;
    QHash<QString, int> lineOfToken;
    const QList<QByteArray> lines = text.split('\n');
    for (qsizetype i = 0; i < lines.size(); ++i) {
        const int number = int(i) + 1;
        const QString line = QString::fromUtf8(lines.at(i)).trimmed();
        if (line.isEmpty() || line.startsWith(u'#'))
            continue;
        // Messages name the line, never its content: a token must not reach a log.
        const QStringList fields = line.split(space, Qt::SkipEmptyParts);
        if (fields.size() != 2) {
            *error = QStringLiteral("line %1: expected \"token tenantId\", found %2 fields")
                         .arg(number)
                         .arg(fields.size());
            return std::nullopt;
        }
        if (!headerSafe(fields.at(0))) {
            *error = QStringLiteral("line %1: the token may hold only visible ASCII characters").arg(number);
            return std::nullopt;
        }
        if (const int first = lineOfToken.value(fields.at(0)); first > 0) {
            *error = QStringLiteral("line %1: the token of line %2 again (a token reaches one tenant)")
                         .arg(number)
                         .arg(first);
            return std::nullopt;
        }
        lineOfToken.insert(fields.at(0), number);
        entries.append({fields.at(0), fields.at(1)});
    }
    if (entries.isEmpty()) {
        *error = QStringLiteral("no token in the file");
        return std::nullopt;
    }
    return entries;
}

bool TokenRegistry::loadFile(const QString &path)
{
    m_fileName = path;
    const std::optional<QByteArray> text = readConfigFile(path, QStringLiteral("tokens"), MaxFileBytes, &m_error);
    if (!text)
        return false;
    QString why;
    const std::optional<QList<Entry>> entries = parse(*text, &why);
    if (!entries) {
        m_error = QStringLiteral("tokens file '%1', %2").arg(path, why);
        return false;
    }
    m_entries = *entries;
    index();
    m_error.clear();
    emit changed();
    return true;
}

bool TokenRegistry::reload()
{
    if (m_fileName.isEmpty())
        return false;
    if (!loadFile(m_fileName)) {
        qCWarning(lcServer).noquote() << "tokens not reloaded, the previous ones stay valid:" << m_error;
        return false;
    }
    qCInfo(lcServer).noquote() << "tokens reloaded from" << m_fileName << "-" << m_entries.size() << "tokens";
    return true;
}

void TokenRegistry::setAnyTenantToken(const QString &token)
{
    m_anyTenantToken = token;
    m_anyTenantDigest = token.isEmpty() ? QByteArray() : digest(token); // no token: nobody is let in
    emit changed();
}

QByteArray TokenRegistry::digest(const QString &token)
{
    return QCryptographicHash::hash(token.toUtf8(), QCryptographicHash::Sha256);
}

void TokenRegistry::index()
{
    m_tenantOfDigest.clear();
    for (const Entry &entry : std::as_const(m_entries))
        m_tenantOfDigest.insert(digest(entry.token), entry.tenant);
}

QString TokenRegistry::bearer(const QByteArray &authorization)
{
    if (authorization.size() < 7 || authorization.first(7).toLower() != "bearer ")
        return {};
    return QString::fromUtf8(authorization.mid(7).trimmed());
}

bool TokenRegistry::isKnown(const QString &token) const
{
    if (token.isEmpty())
        return false;
    const QByteArray given = digest(token);
    return given == m_anyTenantDigest || m_tenantOfDigest.contains(given);
}

bool TokenRegistry::allows(const QString &token, const QString &tenant) const
{
    if (tenant.isEmpty() || token.isEmpty())
        return false;
    const QByteArray given = digest(token);
    if (given == m_anyTenantDigest)
        return true;
    const auto it = m_tenantOfDigest.constFind(given);
    return it != m_tenantOfDigest.cend() && *it == tenant;
}

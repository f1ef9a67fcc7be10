#include "postgressettings.h"

#include <QUrl>

bool PostgresSettings::isPostgresUrl(const QString &text)
{
    return text.startsWith(u"postgresql://", Qt::CaseInsensitive)
        || text.startsWith(u"postgres://", Qt::CaseInsensitive);
}

std::variant<PostgresSettings, QString> PostgresSettings::fromUrl(const QString &text)
{
    const QUrl url(text, QUrl::StrictMode);
    if (!isPostgresUrl(text) || !url.isValid())
        return QStringLiteral("not a postgresql://user@host:port/dbname URL");
    // user:@host too: any password field, even an empty one, is a password in argv.
    const QString authority = text.mid(text.indexOf(QStringLiteral("://")) + 3).section(u'/', 0, 0);
    if (!url.password().isEmpty() || authority.left(std::max<qsizetype>(0, authority.lastIndexOf(u'@'))).contains(u':'))
        return QStringLiteral("the URL holds a password: set WIDGET_SERVER_DB_PASSWORD or use ~/.pgpass instead");
    if (url.hasQuery() || url.hasFragment())
        return QStringLiteral("the URL takes no parameters");
    PostgresSettings settings;
    settings.host = url.host();
    settings.port = url.port(5432);
    settings.user = url.userName();
    settings.database = url.path().mid(1);
    if (settings.database.isEmpty() || settings.database.contains(u'/'))
        return QStringLiteral("the URL names no database (postgresql://user@host:port/dbname)");
    return settings;
}

QString PostgresSettings::redactedUrl() const
{
    return QStringLiteral("postgresql://%1%2:%3/%4")
        .arg(user.isEmpty() ? QString() : user + u'@', host)
        .arg(port)
        .arg(database);
}

#include "consolelink.h"

#include <QCoreApplication>
#include <QUrlQuery>

#include <algorithm>

namespace ConsoleLinks {

bool looksLikeLink(const QString &argument)
{
    return argument.trimmed().startsWith(QLatin1String(Scheme) + u':', Qt::CaseInsensitive);
}

// Ids travel into REST paths and window titles: printable text only, no control characters.
static bool printable(const QString &value)
{
    return std::none_of(value.cbegin(), value.cend(), [](QChar c) { return c.category() == QChar::Other_Control; });
}

std::variant<ConsoleLink, QString> parse(const QString &text)
{
    const QString trimmed = text.trimmed();
    if (trimmed.size() > MaxLength)
        return QStringLiteral("the link is longer than %1 characters").arg(MaxLength);
    const QUrl url(trimmed, QUrl::StrictMode);
    if (!url.isValid() || url.scheme() != QLatin1String(Scheme))
        return QStringLiteral("not an agent-console:// link");
    if (url.host() != u"open" || (!url.path().isEmpty() && url.path() != u"/"))
        return QStringLiteral("unknown link action (expected agent-console://open?conversation=...)");
    const QUrlQuery query(url);
    ConsoleLink link;
    link.conversation = query.queryItemValue(QStringLiteral("conversation"), QUrl::FullyDecoded).trimmed();
    link.tenant = query.queryItemValue(QStringLiteral("tenant"), QUrl::FullyDecoded).trimmed();
    if (link.conversation.isEmpty())
        return QStringLiteral("the link names no conversation");
    if (link.conversation.size() > 256 || !printable(link.conversation) || !printable(link.tenant))
        return QStringLiteral("the link's conversation or tenant is not a valid id");
    if (query.hasQueryItem(QStringLiteral("server"))) {
        link.server = QUrl(query.queryItemValue(QStringLiteral("server"), QUrl::FullyDecoded), QUrl::StrictMode);
        if (!link.server.isValid() || (link.server.scheme() != u"http" && link.server.scheme() != u"https")
            || link.server.host().isEmpty())
            return QStringLiteral("the link's server is not an http:// or https:// URL");
    }
    return link;
}

static QString normalizedPath(const QUrl &url)
{
    QString path = url.path();
    while (path.endsWith(u'/'))
        path.chop(1);
    return path;
}

bool sameServer(const QUrl &a, const QUrl &b)
{
    const auto port = [](const QUrl &u) { return u.port(u.scheme() == u"https" ? 443 : 80); };
    return a.scheme() == b.scheme() && a.host().compare(b.host(), Qt::CaseInsensitive) == 0 && port(a) == port(b)
        && normalizedPath(a) == normalizedPath(b);
}

QString refusal(const ConsoleLink &link, const QUrl &server, const QString &tenant)
{
    if (!link.server.isEmpty() && !sameServer(link.server, server)) {
        return QCoreApplication::translate("ConsoleLink",
            "The link opens conversation “%1” on %2, but the console is signed in to %3. Sign in to that "
            "server to open it.")
            .arg(link.conversation, link.server.toDisplayString(QUrl::RemoveUserInfo),
                server.toDisplayString(QUrl::RemoveUserInfo));
    }
    if (!link.tenant.isEmpty() && link.tenant != tenant) {
        return QCoreApplication::translate("ConsoleLink",
            "The link opens conversation “%1” of tenant “%2”, but the console is signed in to tenant “%3”. "
            "Sign in to that tenant to open it.")
            .arg(link.conversation, link.tenant, tenant);
    }
    return QString();
}

} // namespace ConsoleLinks

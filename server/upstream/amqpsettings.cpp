#include "amqpsettings.h"

#include <QUrl>
#include <QUrlQuery>

#include <optional>

namespace {

// A query value in [min, max], or nullopt.
std::optional<int> boundedInt(const QString &text, int min, int max)
{
    bool ok = false;
    const int value = text.toInt(&ok);
    if (!ok || value < min || value > max)
        return std::nullopt;
    return value;
}

} // namespace

std::variant<AmqpSettings, QString> AmqpSettings::fromUrl(const QString &uri)
{
    const QUrl url(uri, QUrl::StrictMode);
    // QUrl's own error text quotes the input, password included: say what is wrong without it.
    if (!url.isValid())
        return QStringLiteral("the upstream URL is not a valid URL");
    if (url.scheme() != u"amqp" && url.scheme() != u"amqps")
        return QStringLiteral("the upstream URL must start with amqp:// or amqps://");
    AmqpSettings settings;
    settings.tls = url.scheme() == u"amqps";
    settings.host = url.host();
    if (settings.host.isEmpty())
        return QStringLiteral("the upstream URL names no host");
    settings.port = url.port(settings.tls ? 5671 : 5672); // RabbitMQ's (and IANA's) ports
    if (settings.port <= 0)
        return QStringLiteral("the upstream URL has an invalid port");
    // No user info: RabbitMQ's default guest account; a user without a password: an empty one.
    if (!url.userName().isEmpty()) {
        settings.user = url.userName(QUrl::FullyDecoded);
        settings.password = url.password(QUrl::FullyDecoded);
    }
    // RabbitMQ's URI spec: no path is the default vhost "/", a path of one segment names the vhost
    // (percent-decoded, so %2F is "/"), more segments are an error.
    const QString path = url.path(QUrl::FullyEncoded);
    if (path.size() > 1) {
        const QString segment = path.mid(1);
        if (segment.contains(u'/'))
            return QStringLiteral("the upstream URL path must be a single vhost name (write '/' as %2F)");
        settings.vhost = QUrl::fromPercentEncoding(segment.toUtf8());
    }
    const QUrlQuery query(url);
    for (const auto &[key, value] : query.queryItems(QUrl::FullyDecoded)) {
        std::optional<int> number;
        if (key == u"heartbeat" && (number = boundedInt(value, 0, 3600)))
            settings.heartbeatSeconds = *number;
        else if (key == u"connection_timeout" && (number = boundedInt(value, 100, 600000)))
            settings.connectTimeoutMs = *number;
        else if (key == u"confirm_timeout" && (number = boundedInt(value, 100, 600000)))
            settings.confirmTimeoutMs = *number;
        else
            return QStringLiteral("unknown or invalid upstream URL parameter '%1'").arg(key);
    }
    return settings;
}

QString AmqpSettings::redactedUrl() const
{
    QUrl url;
    url.setScheme(tls ? QStringLiteral("amqps") : QStringLiteral("amqp"));
    url.setUserName(user);
    url.setPassword(QStringLiteral("***"));
    url.setHost(host);
    url.setPort(port);
    url.setPath(u'/' + QString::fromLatin1(QUrl::toPercentEncoding(vhost)), QUrl::TolerantMode);
    return url.toString();
}

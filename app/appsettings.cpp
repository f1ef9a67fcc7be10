#include "appsettings.h"

#include "tokenstore.h"

#include <QCoreApplication>
#include <QSettings>

// The one group this class owns; other groups of the file (conversations/*) belong to others.
static const QString Group = QStringLiteral("connection");
static const QString ApiUrlKey = QStringLiteral("apiUrl");
static const QString TenantKey = QStringLiteral("tenant");
static const QString IntegrationKey = QStringLiteral("integration");

// Named explicitly rather than taken from QCoreApplication, so a tool or test that forgot to set the
// application's names still reads and writes the same file.
static QSettings appSettingsFile()
{
    return QSettings(QSettings::NativeFormat, QSettings::UserScope, QStringLiteral("agent-console"),
        QStringLiteral("agent-console"));
}

QString AppSettings::problem() const
{
    if (apiUrl.isEmpty())
        return QCoreApplication::translate("AppSettings", "Enter the API URL.");
    if (!apiUrl.isValid() || (apiUrl.scheme() != u"http" && apiUrl.scheme() != u"https") || apiUrl.host().isEmpty())
        return QCoreApplication::translate("AppSettings",
            "The API URL must be an http:// or https:// address, "
            "e.g. https://chat.example.com.");
    if (!apiUrl.userInfo().isEmpty())
        return QCoreApplication::translate("AppSettings", "The API URL must not contain a user name or password.");
    if (tenant.trimmed().isEmpty())
        return QCoreApplication::translate("AppSettings", "Enter the tenant.");
    return {};
}

QString AppSettings::tokenKey() const
{
    return TokenStore::keyFor(apiUrl, tenant);
}

AppSettings AppSettings::load(const QSettings &settings)
{
    AppSettings s;
    s.apiUrl = QUrl(settings.value(Group + u'/' + ApiUrlKey).toString());
    s.tenant = settings.value(Group + u'/' + TenantKey).toString();
    s.integration = settings.value(Group + u'/' + IntegrationKey).toString();
    return s;
}

void AppSettings::save(QSettings &settings) const
{
    settings.beginGroup(Group);
    settings.setValue(ApiUrlKey, apiUrl.toString());
    settings.setValue(TenantKey, tenant);
    if (integration.isEmpty())
        settings.remove(IntegrationKey);
    else
        settings.setValue(IntegrationKey, integration);
    settings.endGroup();
}

AppSettings AppSettings::load()
{
    return load(appSettingsFile());
}

void AppSettings::save() const
{
    QSettings settings = appSettingsFile();
    save(settings);
    settings.sync();
}

void AppSettings::clear()
{
    QSettings settings = appSettingsFile();
    settings.remove(Group);
    settings.sync();
}

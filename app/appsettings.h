// AppSettings: where the console connects (API URL, tenant, integration), kept in QSettings under the
// platform's config location (~/.config/agent-console/agent-console.conf on Linux). Never the token:
// that lives in the OS keychain (TokenStore).
#pragma once

#include <QMetaType>
#include <QString>
#include <QUrl>

class QSettings;

struct AppSettings
{
    QUrl apiUrl;
    QString tenant;
    QString integration; // optional: the backend's context reply names it when empty

    // Enough to connect once a token is found: an http(s) URL with a host, and a tenant.
    bool isComplete() const { return problem().isEmpty(); }
    // What is wrong, in words for the agent; empty when nothing is.
    QString problem() const;
    // The keychain entry this account's token lives under.
    QString tokenKey() const;

    // From and to the application's own settings file.
    static AppSettings load();
    void save() const;
    static AppSettings load(const QSettings &settings);
    void save(QSettings &settings) const;
    // Forgets the connection (sign-out keeps nothing that points at the old account).
    static void clear();

    bool operator==(const AppSettings &other) const = default;
};

Q_DECLARE_METATYPE(AppSettings)

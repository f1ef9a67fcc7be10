// The agent-console command line, parsed without side effects so every case is testable.
#pragma once

#include <QList>
#include <QSslCertificate>
#include <QSslConfiguration>
#include <QString>
#include <QStringList>
#include <QUrl>

#include <variant>

struct Options
{
    bool demo = false;
    QUrl apiUrl;
    QString tenant;
    QStringList conversations; // --conversation, repeatable, in order, without duplicates
    QStringList links; // agent-console://open?... arguments (ConsoleLinks::parse accepts each), in order
    QString integration;
    QString token; // from --token-file or AGENT_CONSOLE_TOKEN; never an argument value
    QList<QSslCertificate> caCertificates; // --ca-file: private CAs trusted besides the system store
    // --exit-after-first-paint (hidden): print when the window first painted and when it first showed the
    // conversation's history, then quit; what agent-console-bench times a cold start with.
    bool exitAfterFirstPaint = false;
};

// What to do instead of starting: print `text` to stdout (code 0) or stderr (otherwise) and exit.
struct EarlyExit
{
    int code = 0;
    QString text;
};

// `tokenFromEnvironment` is AGENT_CONSOLE_TOKEN. Files named by options (token, CA) are read here, so
// an unreadable one is a usage error before any window opens.
std::variant<Options, EarlyExit> parseCommandLine(const QStringList &arguments, const QString &tokenFromEnvironment);

// The one TLS configuration for REST and socket alike: the system CA store plus `extraCas`.
QSslConfiguration sslConfiguration(const QList<QSslCertificate> &extraCas);

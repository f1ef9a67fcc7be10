// The agent-console command line, parsed without side effects so every case is testable.
#pragma once

#include <QString>
#include <QStringList>
#include <QUrl>

#include <variant>

struct Options
{
    bool demo = false;
    QUrl apiUrl;
    QString tenant;
    QString conversation;
    QString integration;
    QString token; // from --token-file or AGENT_CONSOLE_TOKEN; never an argument value
};

// What to do instead of starting: print `text` to stdout (code 0) or stderr (otherwise) and exit.
struct EarlyExit
{
    int code = 0;
    QString text;
};

// `environment` supplies AGENT_CONSOLE_TOKEN; `readFile` reads the token file (injectable for tests).
std::variant<Options, EarlyExit> parseCommandLine(const QStringList &arguments, const QString &tokenFromEnvironment);

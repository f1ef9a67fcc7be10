// The widget-server executable (WIDGET_SERVER_BINARY) run as a child process by the server tests:
// its environment with or without a token, a run that ends by itself (option errors, --help), and
// the address it prints on its "listening on" line once it serves.
#pragma once

#include <QByteArray>
#include <QProcess>
#include <QProcessEnvironment>
#include <QRegularExpression>
#include <QSignalSpy>
#include <QStringList>
#include <QTest>
#include <QUrl>

// The tests' own environment with WIDGET_SERVER_TOKEN set to `token`, or without it when empty.
inline QProcessEnvironment serverEnvironment(const QString &token)
{
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    if (token.isEmpty())
        env.remove(QStringLiteral("WIDGET_SERVER_TOKEN"));
    else
        env.insert(QStringLiteral("WIDGET_SERVER_TOKEN"), token);
    return env;
}

// Starts widget-server with `arguments` and waits for it to exit; false if it still runs after `timeout` ms.
inline bool runServerToExit(QProcess &process, const QStringList &arguments, int timeout = 10000)
{
    QSignalSpy finished(&process, &QProcess::finished);
    process.start(QStringLiteral(WIDGET_SERVER_BINARY), arguments);
    return finished.wait(timeout);
}

// Waits for the first line widget-server prints and returns the address it is listening on, or an
// empty QUrl if that line does not come within `timeout` ms; `output` gets what it printed.
inline QUrl listeningUrl(QProcess &process, QByteArray *output, int timeout = 10000)
{
    const bool line = QTest::qWaitFor(
        [&] {
            *output += process.readAllStandardOutput();
            return output->contains('\n');
        },
        timeout);
    if (!line)
        return QUrl();
    const auto match = QRegularExpression(QStringLiteral("listening on (http://\\S+)")).match(QString::fromUtf8(*output));
    return match.hasMatch() ? QUrl(match.captured(1)) : QUrl();
}

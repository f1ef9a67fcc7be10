// Is there a keychain in this session? One write through TokenStore decides. For the tests that need the
// real Secret Service (tst_tokenstore, tst_consolesession): they skip, or fail with
// AGENT_CONSOLE_REQUIRE_ALL=1, saying why when none answers (private-session.sh only prints a line).
#pragma once

#include "tokenstore.h"

#include <QSignalSpy>
#include <QTest>

struct KeychainProbe
{
    bool answered = false; // the write came back, stored or failed
    QString unavailable; // why there is no keychain; empty when there is one
    QString failure; // why the keychain refused the write
};

inline KeychainProbe probeKeychain(const QString &service)
{
    TokenStore probe(service);
    QSignalSpy unavailable(&probe, &TokenStore::keychainUnavailable);
    QSignalSpy written(&probe, &TokenStore::tokenWritten);
    QSignalSpy failed(&probe, &TokenStore::failed);
    probe.write(QStringLiteral("probe"), QStringLiteral("probe"));
    KeychainProbe result;
    result.answered = QTest::qWaitFor([&] { return !written.isEmpty() || !failed.isEmpty(); }, 10000);
    if (!unavailable.isEmpty()) {
        result.unavailable = QStringLiteral("No keychain reachable (is gnome-keyring installed?): ")
            + unavailable.at(0).at(0).toString();
    }
    if (!failed.isEmpty())
        result.failure = failed.at(0).at(1).toString();
    return result;
}

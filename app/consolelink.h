// ConsoleLink: a link from another tool (a CRM, a ticket) that opens a conversation in the console
// (issue 18): agent-console://open?conversation=<id>[&tenant=<t>][&server=<api url>]. Registered as the
// x-scheme-handler/agent-console of the desktop file (Windows and macOS: cmake/Packaging.cmake). Parsed
// and checked against the signed-in account without side effects, so every case is unit-tested.
#pragma once

#include <QString>
#include <QUrl>

#include <variant>

struct ConsoleLink
{
    QString conversation;
    QString tenant; // empty: whichever the console is signed in to
    QUrl server; // the backend's API URL; empty: whichever the console is signed in to

    bool operator==(const ConsoleLink &) const = default;
};

namespace ConsoleLinks {

inline constexpr char Scheme[] = "agent-console";
inline constexpr int MaxLength = 2048; // a link is a few hundred bytes; anything longer is not one

// Whether a command-line argument is meant as a link (it starts with "agent-console:"), valid or not.
bool looksLikeLink(const QString &argument);
// The link, or why it is not one (for the command line: untranslated).
std::variant<ConsoleLink, QString> parse(const QString &text);
// Why the console signed in to `server` and `tenant` must not open `link`, or empty when it may. A link
// for another account is refused, never followed by switching accounts.
QString refusal(const ConsoleLink &link, const QUrl &server, const QString &tenant);
// Two API URLs name the same backend: scheme, host and port (default ports filled in), path.
bool sameServer(const QUrl &a, const QUrl &b);

} // namespace ConsoleLinks

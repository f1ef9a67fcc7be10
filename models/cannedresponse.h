// CannedResponse: a reply an agent inserts by its short code (CONTRACT.md §6), a plain value, and the
// pure rules around it: which responses match what the agent typed after "/", and the placeholders
// filled from the conversation's context.
#pragma once

#include <QList>
#include <QMetaType>
#include <QString>

struct CannedResponse
{
    QString id;
    QString shortCode;
    QString content; // placeholders such as {{customer.name}} as written

    bool operator==(const CannedResponse &) const = default;
};
Q_DECLARE_METATYPE(CannedResponse)

// The session's list as the console knows it: loading, there, or why it could not be loaded.
struct CannedList
{
    enum class State { Loading, Ready, Failed };
    State state = State::Loading;
    QList<CannedResponse> responses; // in the server's order; kept from the last load when a refresh fails
    QString error; // Failed: what the agent reads

    bool operator==(const CannedList &) const = default;
};

namespace Canned {

// The responses matching `query` (what follows the "/"), best first: short codes starting with it, then
// short codes containing it, then contents containing it; each group in the list's order. Case and
// accents are ignored (TextFold). An empty query matches every response.
QList<CannedResponse> matching(const QList<CannedResponse> &responses, const QString &query);

// What the customer knows about themself, for the placeholders.
struct Customer
{
    QString name;
    QString phone; // as shown: international form
};
// `content` with {{customer.name}} and {{customer.phone}} (spaces inside the braces allowed) filled in.
// Unknown placeholders, and known ones whose value is not known (yet), stay as written, so the agent
// sees what is missing before sending.
QString fill(const QString &content, const Customer &customer);

} // namespace Canned

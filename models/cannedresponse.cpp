#include "cannedresponse.h"

#include "textfold.h"

#include <QRegularExpression>

namespace Canned {

QList<CannedResponse> matching(const QList<CannedResponse> &responses, const QString &query)
{
    const QString q = TextFold::fold(query.trimmed());
    if (q.isEmpty())
        return responses;
    QList<CannedResponse> prefix;
    QList<CannedResponse> inCode;
    QList<CannedResponse> inContent;
    for (const CannedResponse &r : responses) {
        const QString code = TextFold::fold(r.shortCode);
        if (code.startsWith(q))
            prefix.append(r);
        else if (code.contains(q))
            inCode.append(r);
        else if (TextFold::fold(r.content).contains(q))
            inContent.append(r);
    }
    return prefix + inCode + inContent;
}

QString fill(const QString &content, const Customer &customer)
{
    static const QRegularExpression placeholder(QStringLiteral("\\{\\{\\s*([A-Za-z0-9_.]+)\\s*\\}\\}"));
    QString out;
    out.reserve(content.size());
    qsizetype done = 0;
    for (auto it = placeholder.globalMatch(content); it.hasNext();) {
        const QRegularExpressionMatch m = it.next();
        const QString key = m.captured(1);
        QString value;
        if (key == u"customer.name")
            value = customer.name.trimmed();
        else if (key == u"customer.phone")
            value = customer.phone.trimmed();
        out += QStringView(content).mid(done, m.capturedStart() - done);
        out += value.isEmpty() ? m.captured() : value;
        done = m.capturedEnd();
    }
    out += QStringView(content).mid(done);
    return out;
}

} // namespace Canned

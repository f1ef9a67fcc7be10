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

namespace {
// What the customer chose to be called goes into the agent's reply only as one short line of visible
// text: no line breaks, no control or direction-changing characters, at most MaxFilledLength characters.
constexpr qsizetype MaxFilledLength = 100;

QString oneVisibleLine(const QString &value)
{
    QString out;
    out.reserve(value.size());
    for (const QChar c : value) {
        const QChar::Category category = c.category();
        if (category == QChar::Other_Control || category == QChar::Other_Format
            || category == QChar::Separator_Line || category == QChar::Separator_Paragraph)
            out += u' ';
        else
            out += c;
    }
    out = out.simplified();
    if (out.size() > MaxFilledLength) {
        qsizetype cut = MaxFilledLength;
        if (out.at(cut - 1).isHighSurrogate())
            --cut;
        out = out.left(cut).trimmed() + u'…';
    }
    return out;
}
} // namespace

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
            value = oneVisibleLine(customer.name);
        else if (key == u"customer.phone")
            value = oneVisibleLine(customer.phone);
        out += QStringView(content).mid(done, m.capturedStart() - done);
        out += value.isEmpty() ? m.captured() : value;
        done = m.capturedEnd();
    }
    out += QStringView(content).mid(done);
    return out;
}

} // namespace Canned

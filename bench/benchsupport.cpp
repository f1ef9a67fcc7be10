#include "benchsupport.h"

#include "conversationview.h"

#include <QCoreApplication>
#include <QElapsedTimer>
#include <QEvent>
#include <QFile>
#include <QRandomGenerator>
#include <QWidget>

#include <algorithm>

#include <malloc.h>
#include <time.h>
#include <unistd.h>

namespace Bench {

double percentile(QList<double> values, double p)
{
    if (values.isEmpty())
        return 0;
    std::sort(values.begin(), values.end());
    const qsizetype i = std::min<qsizetype>(values.size() - 1, qsizetype(p * double(values.size())));
    return values[i];
}

double threadCpuMs()
{
    timespec now {};
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &now);
    return double(now.tv_sec) * 1e3 + double(now.tv_nsec) / 1e6;
}

qint64 residentBytes(bool trim)
{
    if (trim)
        malloc_trim(0);
    QFile statm(QStringLiteral("/proc/self/statm"));
    if (!statm.open(QIODevice::ReadOnly))
        return -1;
    // "size resident shared text lib data dt", in pages.
    const QList<QByteArray> fields = statm.readAll().split(' ');
    return fields.size() > 1 ? fields[1].toLongLong() * sysconf(_SC_PAGESIZE) : -1;
}

namespace {
const QStringList words {QStringLiteral("order"), QStringLiteral("delivery"), QStringLiteral("tomorrow"),
    QStringLiteral("thanks"), QStringLiteral("the"), QStringLiteral("package"), QStringLiteral("arrived"),
    QStringLiteral("refund"), QStringLiteral("please"), QStringLiteral("could"), QStringLiteral("you"),
    QStringLiteral("check"), QStringLiteral("address"), QStringLiteral("Berlin"), QStringLiteral("invoice"),
    QStringLiteral("number"), QStringLiteral("a"), QStringLiteral("of"), QStringLiteral("and"), QStringLiteral("size"),
    QStringLiteral("colour"), QStringLiteral("exchange"), QStringLiteral("weekend"), QStringLiteral("Grüße"),
    QStringLiteral("😊"), QStringLiteral("tracking"), QStringLiteral("DHL"),
    QStringLiteral("https://shop.example.com/orders/48213"), QStringLiteral("is"), QStringLiteral("not")};

QString sentence(QRandomGenerator &random, int wordCount)
{
    QString s;
    s.reserve(wordCount * 8);
    for (int i = 0; i < wordCount; ++i) {
        if (i > 0)
            s += QLatin1Char(' ');
        s += words[random.bounded(int(words.size()))];
    }
    return s;
}

// 45% one short line, 35% a few lines, 15% a paragraph, 5% several paragraphs with line breaks.
QString messageText(QRandomGenerator &random)
{
    const int kind = random.bounded(100);
    if (kind < 45)
        return sentence(random, 1 + random.bounded(8));
    if (kind < 80)
        return sentence(random, 10 + random.bounded(30));
    if (kind < 95)
        return sentence(random, 50 + random.bounded(100));
    QStringList paragraphs;
    for (int p = 0, n = 3 + random.bounded(6); p < n; ++p)
        paragraphs << sentence(random, 5 + random.bounded(40));
    return paragraphs.join(QLatin1Char('\n'));
}
} // namespace

QList<Message> mixedConversation(int count, const QString &idPrefix, quint32 seed)
{
    QRandomGenerator random(seed);
    QList<Message> messages;
    messages.reserve(count);
    const QDateTime start = QDateTime::currentDateTimeUtc().addSecs(-qint64(count) * 30);
    for (int i = 0; i < count; ++i) {
        Message m;
        m.id = idPrefix + QString::number(i);
        m.direction = random.bounded(2) ? Direction::Outbound : Direction::Inbound;
        m.text = messageText(random);
        if (random.bounded(20) == 0)
            m.mediaUrl = QStringLiteral("https://cdn.example.com/media/%1.jpg").arg(i);
        m.timestamp = start.addSecs(qint64(i) * 30);
        if (m.direction == Direction::Outbound) {
            const int s = random.bounded(100);
            m.status = s < 1 ? MessageStatus::Failed : s < 60 ? MessageStatus::Read : MessageStatus::Delivered;
            if (m.status == MessageStatus::Failed)
                m.error = QStringLiteral("Recipient is not on WhatsApp");
        }
        messages.append(m);
    }
    return messages;
}

QList<Message> pendingReplies(int count, const QString &idPrefix)
{
    QList<Message> messages = mixedConversation(count, idPrefix, 7);
    for (Message &m : messages) {
        m.direction = Direction::Outbound;
        m.status = MessageStatus::Pending;
        m.error.clear();
    }
    return messages;
}

bool waitUntilMeasured(ConversationView *view, int timeoutMs)
{
    QElapsedTimer timer;
    timer.start();
    while (view->unmeasuredRowCount() > 0 && timer.elapsed() < timeoutMs)
        QCoreApplication::processEvents(QEventLoop::AllEvents, 50);
    QCoreApplication::processEvents(); // the last slice's relayout and repaint
    return view->unmeasuredRowCount() == 0;
}

PaintWatch::PaintWatch(QWidget *widget, std::function<bool()> counts)
    : QObject(widget)
    , m_counts(std::move(counts))
{
    widget->installEventFilter(this);
}

bool PaintWatch::eventFilter(QObject *, QEvent *event)
{
    if (event->type() == QEvent::Paint && (!m_counts || m_counts()))
        ++paints;
    return false;
}

} // namespace Bench

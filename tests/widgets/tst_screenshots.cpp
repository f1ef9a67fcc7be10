// Renders the console's widgets with one bubble in every state, saves PNGs for people to look at
// ($AGENT_CONSOLE_ARTIFACTS/screenshots/) and checks what a machine can check about them.
#include "composer.h"
#include "connectionbanner.h"
#include "conversationview.h"
#include "messagedelegate.h"
#include "messagelistmodel.h"

#include <QDir>
#include <QPlainTextEdit>
#include <QScrollBar>
#include <QTest>
#include <QVBoxLayout>

#include <functional>

class TestScreenshots : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();
    void savesEveryStateAtDpr1();
    void savesEveryStateAtDpr2();
    void failedBubbleHasRetryInside();
    void readTicksAreBlueOthersGrey();
    void markupTextIsLaidOutLiterally();

private:
    QRect windowRect(
        const QString &id, const std::function<QRect(const QStyleOptionViewItem &, const QModelIndex &)> &part) const;
    static int countPixels(const QImage &image, const QRect &rect, const std::function<bool(QColor)> &test);
    QString saveDir() const;

    MessageListModel m_model;
    QWidget m_window;
    ConversationView *m_view = nullptr;
    ConnectionBanner *m_banner = nullptr;
    Composer *m_composer = nullptr;
};

static Message message(
    const QString &id, Direction direction, const QString &text, QTime time, MessageStatus status = MessageStatus::None)
{
    Message m;
    m.id = id;
    m.direction = direction;
    m.text = text;
    m.timestamp = QDateTime(QDate(2026, 11, 23), time); // local time, so hh:mm is what is written here
    m.status = direction == Direction::Outbound && status == MessageStatus::None ? MessageStatus::Sent : status;
    return m;
}

void TestScreenshots::initTestCase()
{
    using D = Direction;
    using S = MessageStatus;
    m_model.append(
        message("in1", D::Inbound, "Hi! I ordered a blender last week and it still hasn't arrived 😕", {9, 41}));
    m_model.append(
        message("read", D::Outbound, "Sorry to hear that! Let me check the tracking for you.", {9, 42}, S::Read));
    Message media = message("media", D::Inbound, "Here is my receipt", {9, 43});
    media.mediaUrl = "https://shop.example.com/receipts/88213.pdf";
    m_model.append(media);
    m_model.append(message("delivered", D::Outbound, "Thanks, I can see the order. It left our warehouse yesterday.",
        {9, 44}, S::Delivered));
    m_model.append(message("long", D::Inbound,
        "That's odd, because the tracking page has said \"label created\" for four days now. "
        "I really need it before the weekend since it's a present for my sister's birthday, "
        "and I already paid for express shipping. Could you please find out what is going on?",
        {9, 46}));
    m_model.append(message("html", D::Inbound, "<b>not bold</b>", {9, 47}));
    m_model.append(
        message("sent", D::Outbound, "I understand. I've asked the courier for an update.", {9, 48}, S::Sent));
    m_model.append(message("pending", D::Outbound, "One moment please…", {9, 49}, S::Pending));
    Message failed = message("failed", D::Outbound, "I've also refunded the express shipping fee.", {9, 50}, S::Failed);
    failed.error = "Upstream unavailable";
    m_model.append(failed);
    Message queued = message("queued", D::Outbound, "Anything else I can help with?", {9, 51}, S::Pending);
    queued.queued = true;
    m_model.append(queued);

    m_banner = new ConnectionBanner(&m_window);
    m_banner->setReconnecting(4000);
    m_banner->setAction("Retry now");
    m_view = new ConversationView(&m_window);
    m_view->setModel(&m_model);
    m_composer = new Composer(&m_window);
    auto *layout = new QVBoxLayout(&m_window);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->setSpacing(0);
    layout->addWidget(m_banner);
    layout->addWidget(m_view, 1);
    layout->addWidget(m_composer);
    m_window.resize(480, 900);
    m_window.show();
    QVERIFY(QTest::qWaitForWindowExposed(&m_window));
    QTRY_COMPARE(m_view->unmeasuredRowCount(), 0);
    QVERIFY(QDir().mkpath(saveDir()));
}

QString TestScreenshots::saveDir() const
{
    const QString base = qEnvironmentVariable("AGENT_CONSOLE_ARTIFACTS", QDir::currentPath() + "/artifacts");
    return base + "/screenshots";
}

QRect TestScreenshots::windowRect(
    const QString &id, const std::function<QRect(const QStyleOptionViewItem &, const QModelIndex &)> &part) const
{
    const QModelIndex index = m_model.indexOf(id);
    const QRect r = part(m_view->itemOption(index), index);
    return r.translated(m_view->viewport()->mapTo(&m_window, QPoint(0, 0)));
}

int TestScreenshots::countPixels(const QImage &image, const QRect &rect, const std::function<bool(QColor)> &test)
{
    int n = 0;
    for (int y = rect.top(); y <= rect.bottom(); ++y) {
        for (int x = rect.left(); x <= rect.right(); ++x)
            n += test(image.pixelColor(x, y)) ? 1 : 0;
    }
    return n;
}

static bool isBlue(QColor c)
{
    return c.blue() > 150 && c.blue() > c.red() + 60;
}

static bool isRed(QColor c)
{
    return c.red() > 150 && c.red() > c.green() + 60;
}

void TestScreenshots::savesEveryStateAtDpr1()
{
    const QPixmap shot = m_window.grab();
    const QString path = saveDir() + "/states.png";
    QVERIFY(shot.save(path));
    QImage reloaded(path);
    QCOMPARE(reloaded.size(), QSize(480, 900));
    QSet<QRgb> colours;
    for (int y = 0; y < reloaded.height(); y += 3) {
        for (int x = 0; x < reloaded.width(); x += 3)
            colours.insert(reloaded.pixel(x, y));
    }
    QVERIFY2(colours.size() > 50, "the screenshot is nearly uniform");

    // The same window with a draft in the composer, for the auto-growing editor.
    m_composer->editor()->setPlainText("Your refund is confirmed.\nAnything else?");
    m_window.layout()->activate(); // the composer grew: lay the window out before grabbing it
    QTRY_VERIFY(!m_composer->editor()->verticalScrollBar()->isVisible()); // two lines fit: no scrollbar
    QVERIFY(m_window.grab().save(saveDir() + "/states-typing.png"));
    m_composer->editor()->clear();
}

void TestScreenshots::savesEveryStateAtDpr2()
{
    QPixmap pixmap(m_window.size() * 2);
    pixmap.setDevicePixelRatio(2);
    pixmap.fill(Qt::white);
    m_window.render(&pixmap);
    const QString path = saveDir() + "/states@2x.png";
    QVERIFY(pixmap.save(path));
    const QImage image(path);
    QCOMPARE(image.size(), QSize(960, 1800));
    const QRect read
        = windowRect("read", [this](auto &o, auto &i) { return m_view->messageDelegate()->statusRect(o, i); });
    QVERIFY(countPixels(image, QRect(read.topLeft() * 2, read.size() * 2), isBlue) > 10);

    // A close-up of the footers (time + marks) of the last outbound bubbles, where crispness shows.
    const QRect sent
        = windowRect("sent", [this](auto &o, auto &i) { return m_view->messageDelegate()->bubbleRect(o, i); });
    const QRect queued
        = windowRect("queued", [this](auto &o, auto &i) { return m_view->messageDelegate()->bubbleRect(o, i); });
    const QRect detail = QRect(sent.topLeft() * 2, queued.bottomRight() * 2).adjusted(-8, -8, 8, 8);
    QVERIFY(image.copy(detail).save(saveDir() + "/states-detail@2x.png"));
}

void TestScreenshots::failedBubbleHasRetryInside()
{
    const auto *delegate = m_view->messageDelegate();
    const QModelIndex failed = m_model.indexOf("failed");
    const BubbleLayout layout = delegate->layoutFor(m_view->itemOption(failed), failed);
    QVERIFY(!layout.retry.isEmpty());
    QVERIFY(layout.bubble.contains(layout.retry));
    QVERIFY(layout.bubble.contains(layout.error));
    QVERIFY(!layout.retry.intersects(layout.time));
    QVERIFY(m_view->viewport()->rect().contains(layout.bubble));

    const QImage image = m_window.grab().toImage();
    const QRect retry = windowRect("failed", [delegate](auto &o, auto &i) { return delegate->retryButtonRect(o, i); });
    QVERIFY2(countPixels(image, retry, isRed) > 20, "the Retry button is drawn in the failure colour");
    const QRect mark = windowRect("failed", [delegate](auto &o, auto &i) { return delegate->statusRect(o, i); });
    QVERIFY(countPixels(image, mark, isRed) > 10);

    const QModelIndex queued = m_model.indexOf("queued");
    QVERIFY(!delegate->layoutFor(m_view->itemOption(queued), queued).note.isEmpty());
    QVERIFY(delegate->layoutFor(m_view->itemOption(queued), queued).retry.isEmpty());
}

void TestScreenshots::readTicksAreBlueOthersGrey()
{
    const QImage image = m_window.grab().toImage();
    const auto *delegate = m_view->messageDelegate();
    const auto statusOf = [delegate](auto &o, auto &i) { return delegate->statusRect(o, i); };
    QVERIFY2(countPixels(image, windowRect("read", statusOf), isBlue) > 5, "read ticks must be blue");
    for (const char *id : {"sent", "delivered", "pending"}) {
        const QRect mark = windowRect(id, statusOf);
        QVERIFY2(countPixels(image, mark, isBlue) == 0, id);
        // ...but something is drawn there: the grey mark.
        QVERIFY2(countPixels(image, mark, [](QColor c) { return c.lightness() < 200; }) > 3, id);
    }
    QVERIFY(windowRect("in1", statusOf).isEmpty()); // inbound bubbles carry no mark
}

void TestScreenshots::markupTextIsLaidOutLiterally()
{
    const QModelIndex html = m_model.indexOf("html");
    QCOMPARE(MessageDelegate::displayedText(html), QStringLiteral("<b>not bold</b>"));
    const QRect text = m_view->messageDelegate()->layoutFor(m_view->itemOption(html), html).text;
    QVERIFY(qAbs(text.width() - m_view->fontMetrics().horizontalAdvance("<b>not bold</b>")) <= 2);
}

QTEST_MAIN(TestScreenshots)
#include "tst_screenshots.moc"

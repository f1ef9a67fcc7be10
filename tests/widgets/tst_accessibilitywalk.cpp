// Every control of the conversation widgets can be announced: walking the tree through QAccessible
// (tests/widgets/accessibilitywalk.h, reusable on any window) finds a name on each focusable control
// and a description on each button and text field; bubbles carry their text and delivery state.
#include "accessibilitywalk.h"
#include "composer.h"
#include "connectionbanner.h"
#include "conversationview.h"
#include "failedrepliesbar.h"
#include "messagelistmodel.h"

#include <QLabel>
#include <QPlainTextEdit>
#include <QTest>
#include <QToolButton>
#include <QVBoxLayout>

namespace {
Message message(
    const QString &id, Direction direction, const QString &text, MessageStatus status, const QString &url = QString())
{
    Message m;
    m.id = id;
    m.direction = direction;
    m.text = text;
    m.mediaUrl = url;
    m.timestamp = QDateTime(QDate(2026, 11, 23), QTime(9, 41));
    m.status = status;
    if (status == MessageStatus::Failed)
        m.error = QStringLiteral("Window closed");
    return m;
}
} // namespace

class TestAccessibilityWalk : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();
    void everyControlHasANameAndDescription();
    void walkerReportsAnUnnamedControl();
    void walkerSkipsHiddenUnlessAsked();
    void controlsSayWhatTheyDo_data();
    void controlsSayWhatTheyDo();
    void bubblesExposeTextAndState_data();
    void bubblesExposeTextAndState();

private:
    QAccessibleInterface *rowOf(const QString &id) const;

    MessageListModel m_model;
    QWidget m_window;
    ConversationView *m_view = nullptr;
    ConnectionBanner *m_banner = nullptr;
    FailedRepliesBar *m_bar = nullptr;
    Composer *m_composer = nullptr;
};

void TestAccessibilityWalk::initTestCase()
{
    using D = Direction;
    using S = MessageStatus;
    m_model.append(message("in", D::Inbound, "Where is my order?", S::None));
    m_model.append(message("sent", D::Outbound, "Checking", S::Sent));
    m_model.append(message("delivered", D::Outbound, "Found it", S::Delivered));
    m_model.append(message("read", D::Outbound, "It ships today", S::Read));
    m_model.append(message("failed", D::Outbound, "Refund issued", S::Failed));
    m_model.append(message("file", D::Inbound, QString(), S::None, "https://shop.example.com/r/1.pdf"));
    m_banner = new ConnectionBanner(&m_window);
    m_banner->setState(ConnectionBanner::State::Disconnected, QStringLiteral("network down"));
    m_banner->setAction(QStringLiteral("Reconnect now"));
    m_bar = new FailedRepliesBar(&m_window);
    m_bar->setUnsentCount(1);
    m_view = new ConversationView(&m_window);
    m_view->setModel(&m_model);
    m_composer = new Composer(&m_window);
    auto *layout = new QVBoxLayout(&m_window);
    layout->addWidget(m_banner);
    layout->addWidget(m_bar);
    layout->addWidget(m_view, 1);
    layout->addWidget(m_composer);
    m_window.resize(480, 640);
    m_window.show();
    QVERIFY(QTest::qWaitForWindowExposed(&m_window));
    QTRY_COMPARE(m_view->unmeasuredRowCount(), 0);
}

QAccessibleInterface *TestAccessibilityWalk::rowOf(const QString &id) const
{
    return QAccessible::queryAccessibleInterface(m_view)->child(m_model.indexOf(id).row());
}

void TestAccessibilityWalk::everyControlHasANameAndDescription()
{
    AccessibilityWalk::Options options;
    options.requireDescription = true;
    int visited = 0;
    const QStringList problems = AccessibilityWalk::problems(&m_window, options, &visited);
    QVERIFY2(problems.isEmpty(), qPrintable(problems.join(u'\n')));
    // The walk really went through the controls and the message rows.
    QVERIFY2(visited > 15, qPrintable(QString::number(visited)));
}

void TestAccessibilityWalk::walkerReportsAnUnnamedControl()
{
    QWidget window;
    auto *unnamed = new QToolButton(&window); // an icon-only button nobody named
    unnamed->setIcon(QIcon(QStringLiteral(":/icons/send.svg")));
    unnamed->setFocusPolicy(Qt::StrongFocus);
    auto *named = new QToolButton(&window);
    named->setText(QStringLiteral("Close"));
    auto *layout = new QVBoxLayout(&window);
    layout->addWidget(unnamed);
    layout->addWidget(named);
    window.show();
    QVERIFY(QTest::qWaitForWindowExposed(&window));
    QStringList problems = AccessibilityWalk::problems(&window);
    QCOMPARE(problems.size(), 1);
    QVERIFY2(problems.first().contains(QStringLiteral("no accessible name: QWidget > QToolButton")),
        qPrintable(problems.first()));
    AccessibilityWalk::Options strict;
    strict.requireDescription = true;
    QCOMPARE(AccessibilityWalk::problems(&window, strict).size(), 3); // + two without description
    unnamed->setAccessibleName(QStringLiteral("Send"));
    QCOMPARE(AccessibilityWalk::problems(&window).size(), 0);
}

void TestAccessibilityWalk::walkerSkipsHiddenUnlessAsked()
{
    QWidget window;
    auto *hidden = new QToolButton(&window);
    hidden->setFocusPolicy(Qt::StrongFocus);
    hidden->hide();
    window.show();
    QVERIFY(QTest::qWaitForWindowExposed(&window));
    QCOMPARE(AccessibilityWalk::problems(&window).size(), 0);
    AccessibilityWalk::Options all;
    all.includeHidden = true;
    QCOMPARE(AccessibilityWalk::problems(&window, all).size(), 1);
}

void TestAccessibilityWalk::controlsSayWhatTheyDo_data()
{
    QTest::addColumn<QWidget *>("widget");
    QTest::addColumn<QString>("name");
    QTest::newRow("reply field") << static_cast<QWidget *>(m_composer->editor()) << QStringLiteral("Reply");
    QTest::newRow("send") << static_cast<QWidget *>(m_composer->sendButton()) << QStringLiteral("Send reply");
    QTest::newRow("banner") << static_cast<QWidget *>(m_banner) << QStringLiteral("Connection status");
    QTest::newRow("banner action") << static_cast<QWidget *>(m_banner->findChild<QToolButton *>())
                                   << QStringLiteral("Reconnect now");
    QTest::newRow("retry all") << static_cast<QWidget *>(m_bar->retryAllButton())
                               << QStringLiteral("Retry all replies not sent");
    QTest::newRow("discard all") << static_cast<QWidget *>(m_bar->discardAllButton())
                                 << QStringLiteral("Discard all replies not sent");
    QTest::newRow("conversation") << static_cast<QWidget *>(m_view) << QStringLiteral("Conversation");
}

void TestAccessibilityWalk::controlsSayWhatTheyDo()
{
    QFETCH(QWidget *, widget);
    QFETCH(QString, name);
    QAccessibleInterface *iface = QAccessible::queryAccessibleInterface(widget);
    QVERIFY(iface);
    QCOMPARE(iface->text(QAccessible::Name), name);
    QVERIFY(!iface->text(QAccessible::Description).isEmpty());
}

void TestAccessibilityWalk::bubblesExposeTextAndState_data()
{
    QTest::addColumn<QString>("id");
    QTest::addColumn<QString>("name");
    QTest::addColumn<QString>("description");
    QTest::newRow("inbound") << "in"
                             << "Where is my order?"
                             << "From customer";
    QTest::newRow("sent") << "sent"
                          << "Checking"
                          << "Sent by you, Sent";
    QTest::newRow("delivered") << "delivered"
                               << "Found it"
                               << "Sent by you, Delivered";
    QTest::newRow("read") << "read"
                          << "It ships today"
                          << "Sent by you, Read";
    QTest::newRow("failed") << "failed"
                            << "Refund issued"
                            << "Sent by you, Failed: Window closed";
    QTest::newRow("attachment only") << "file"
                                     << "Attachment https://shop.example.com/r/1.pdf"
                                     << "From customer";
}

void TestAccessibilityWalk::bubblesExposeTextAndState()
{
    QFETCH(QString, id);
    QFETCH(QString, name);
    QFETCH(QString, description);
    QAccessibleInterface *row = rowOf(id);
    QVERIFY(row);
    QCOMPARE(row->text(QAccessible::Name), name);
    QCOMPARE(row->text(QAccessible::Description), description);
}

QTEST_MAIN(TestAccessibilityWalk)
#include "tst_accessibilitywalk.moc"

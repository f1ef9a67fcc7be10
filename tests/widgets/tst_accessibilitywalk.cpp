// Every control of the conversation widgets can be announced: walking the tree through QAccessible
// (tests/widgets/accessibilitywalk.h, reusable on any window) finds a name on each focusable control
// and a description on each button and text field; bubbles carry their text and delivery state.
#include "accessibilitywalk.h"
#include "conversationscene.h"
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

    ConversationScene m_scene;
};

void TestAccessibilityWalk::initTestCase()
{
    using D = Direction;
    using S = MessageStatus;
    m_scene.model.append(testMessage("in", D::Inbound, "Where is my order?", S::None));
    m_scene.model.append(testMessage("sent", D::Outbound, "Checking", S::Sent));
    m_scene.model.append(testMessage("delivered", D::Outbound, "Found it", S::Delivered));
    m_scene.model.append(testMessage("read", D::Outbound, "It ships today", S::Read));
    m_scene.model.append(testMessage("failed", D::Outbound, "Refund issued", S::Failed, QString(), "Window closed"));
    m_scene.model.append(testMessage("file", D::Inbound, QString(), S::None, "https://shop.example.com/r/1.pdf"));
    m_scene.banner->setState(ConnectionBanner::State::Disconnected, QStringLiteral("network down"));
    m_scene.banner->setAction(QStringLiteral("Reconnect now"));
    m_scene.bar->setUnsentCount(1);
    m_scene.window.resize(480, 640);
    m_scene.window.show();
    QVERIFY(QTest::qWaitForWindowExposed(&m_scene.window));
    QTRY_COMPARE(m_scene.view->unmeasuredRowCount(), 0);
}

QAccessibleInterface *TestAccessibilityWalk::rowOf(const QString &id) const
{
    return QAccessible::queryAccessibleInterface(m_scene.view)->child(m_scene.model.indexOf(id).row());
}

void TestAccessibilityWalk::everyControlHasANameAndDescription()
{
    AccessibilityWalk::Options options;
    options.requireDescription = true;
    int visited = 0;
    const QStringList problems = AccessibilityWalk::problems(&m_scene.window, options, &visited);
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
    QTest::newRow("reply field") << static_cast<QWidget *>(m_scene.composer->editor()) << QStringLiteral("Reply");
    QTest::newRow("send") << static_cast<QWidget *>(m_scene.composer->sendButton()) << QStringLiteral("Send reply");
    QTest::newRow("banner") << static_cast<QWidget *>(m_scene.banner) << QStringLiteral("Connection status");
    QTest::newRow("banner action") << static_cast<QWidget *>(m_scene.banner->findChild<QToolButton *>())
                                   << QStringLiteral("Reconnect now");
    QTest::newRow("retry all") << static_cast<QWidget *>(m_scene.bar->retryAllButton())
                               << QStringLiteral("Retry all replies not sent");
    QTest::newRow("discard all") << static_cast<QWidget *>(m_scene.bar->discardAllButton())
                                 << QStringLiteral("Discard all replies not sent");
    QTest::newRow("conversation") << static_cast<QWidget *>(m_scene.view) << QStringLiteral("Conversation");
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

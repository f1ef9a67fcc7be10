// ConnectionBanner: the text of every state, the reconnect countdown, the action button.
#include "connectionbanner.h"

#include <QSignalSpy>
#include <QTest>
#include <QTimer>
#include <QToolButton>

class TestConnectionBanner : public QObject
{
    Q_OBJECT

private slots:
    void textPerState_data();
    void textPerState();
    void countdownCountsDown();
    void countdownEndsInReconnecting();
    void connectedHidesAfterAWhile();
    void otherStatesShowAgain();
    void actionButtonEmits();
    void actionButtonIsNeverUnnamed();
};

void TestConnectionBanner::textPerState_data()
{
    QTest::addColumn<ConnectionBanner::State>("state");
    QTest::addColumn<QString>("detail");
    QTest::addColumn<QString>("expected");
    using S = ConnectionBanner::State;
    QTest::newRow("connecting") << S::Connecting << QString() << "Connecting…";
    QTest::newRow("connected") << S::Connected << QString() << "Connected";
    QTest::newRow("reconnecting") << S::Reconnecting << QString() << "Reconnecting…";
    QTest::newRow("disconnected") << S::Disconnected << "server closed the session"
                                  << "Disconnected: server closed the session";
    QTest::newRow("disconnected, no reason") << S::Disconnected << QString() << "Disconnected";
    QTest::newRow("error") << S::Error << "Cannot open conversation: conversation not found"
                           << "Cannot open conversation: conversation not found";
    QTest::newRow("error is plain text") << S::Error << "<b>bad</b>"
                                         << "<b>bad</b>";
}

void TestConnectionBanner::textPerState()
{
    QFETCH(ConnectionBanner::State, state);
    QFETCH(QString, detail);
    QFETCH(QString, expected);
    ConnectionBanner banner;
    banner.setState(state, detail);
    QCOMPARE(banner.state(), state);
    QCOMPARE(banner.text(), expected);
}

void TestConnectionBanner::countdownCountsDown()
{
    ConnectionBanner banner;
    banner.setReconnecting(2500);
    QCOMPARE(banner.text(), QStringLiteral("Reconnecting in 3 s…"));
    QTRY_COMPARE_WITH_TIMEOUT(banner.text(), QStringLiteral("Reconnecting in 2 s…"), 2000);
    QTRY_COMPARE_WITH_TIMEOUT(banner.text(), QStringLiteral("Reconnecting in 1 s…"), 2000);
}

void TestConnectionBanner::countdownEndsInReconnecting()
{
    ConnectionBanner banner;
    banner.setReconnecting(300);
    QCOMPARE(banner.text(), QStringLiteral("Reconnecting in 1 s…"));
    QTRY_COMPARE_WITH_TIMEOUT(banner.text(), QStringLiteral("Reconnecting…"), 2000);
}

void TestConnectionBanner::connectedHidesAfterAWhile()
{
    ConnectionBanner banner;
    banner.show();
    banner.setState(ConnectionBanner::State::Connected);
    QVERIFY(banner.isVisible());
    QTRY_VERIFY_WITH_TIMEOUT(banner.isHidden(), 5000);
}

void TestConnectionBanner::otherStatesShowAgain()
{
    ConnectionBanner banner;
    banner.show();
    banner.setState(ConnectionBanner::State::Connected);
    banner.setReconnecting(5000); // connection lost before the banner hid: it must not hide now
    QCoreApplication::processEvents();
    QVERIFY(banner.isVisible());
    // The hide timer started by "Connected" must be stopped, or it would hide the countdown.
    const auto *hideTimer = banner.findChild<QTimer *>(QStringLiteral("hideTimer"));
    QVERIFY(hideTimer);
    QVERIFY(!hideTimer->isActive());
    banner.hide();
    banner.setState(ConnectionBanner::State::Disconnected, "bye");
    QVERIFY(banner.isVisible());
}

void TestConnectionBanner::actionButtonEmits()
{
    ConnectionBanner banner;
    banner.show();
    QVERIFY(QTest::qWaitForWindowExposed(&banner));
    auto *button = banner.findChild<QToolButton *>();
    QVERIFY(button);
    QVERIFY(button->isHidden());
    banner.setAction("Retry now");
    QVERIFY(button->isVisible());
    QCOMPARE(button->text(), QStringLiteral("Retry now"));
    QSignalSpy spy(&banner, &ConnectionBanner::actionTriggered);
    QTest::mouseClick(button, Qt::LeftButton);
    QCOMPARE(spy.count(), 1);
    banner.setAction(QString());
    QVERIFY(button->isHidden());
}

// A reader lists hidden controls too (Orca over AT-SPI said only "button" for it): named from the start,
// named by what it does once shown, and it keeps that name when hidden again.
void TestConnectionBanner::actionButtonIsNeverUnnamed()
{
    ConnectionBanner banner;
    QToolButton *button = banner.actionButton();
    QVERIFY(button->isHidden());
    QCOMPARE(button->accessibleName(), u"Reconnect now");
    QVERIFY(!button->accessibleDescription().isEmpty());
    banner.setAction(QStringLiteral("Try again"));
    QCOMPARE(button->accessibleName(), u"Try again");
    banner.setAction(QString());
    QVERIFY(button->isHidden());
    QCOMPARE(button->accessibleName(), u"Try again");
}

QTEST_MAIN(TestConnectionBanner)
#include "tst_connectionbanner.moc"

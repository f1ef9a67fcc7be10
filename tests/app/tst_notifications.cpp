// Notifications and the tray icon. NotificationCenter with a recording Notifier (when to notify, what,
// and a click opening the conversation); FreedesktopNotifier against a real D-Bus session bus (the
// private one private-session.sh starts) with a small org.freedesktop.Notifications server registered
// by this test on its own connection, recording Notify calls and emitting ActionInvoked; TrayIcon's
// tooltip and badge pixels, rendered to PNGs under the artifacts directory.
#include "missingdependency.h"
#include "notificationcenter.h"
#include "notifier.h"
#include "trayicon.h"
#include "traynotifier.h"

#include <QApplication>
#include <QDir>
#include <QMenu>
#include <QPainter>
#include <QSignalSpy>
#include <QSystemTrayIcon>
#include <QTest>
#include <QWidget>

#ifdef AGENT_CONSOLE_HAVE_DBUS
#include "freedesktopnotifier.h"

#include <QDBusConnection>
#include <QDBusConnectionInterface>
#endif

namespace {

struct Notification
{
    QString conversationId;
    QString title;
    QString body;
};

// The injectable notifier: records, and lets the test "click".
class RecordingNotifier : public Notifier
{
    Q_OBJECT
public:
    using Notifier::Notifier;
    void notify(const QString &conversationId, const QString &title, const QString &body) override
    {
        shown.append({conversationId, title, body});
    }
    void click(const QString &conversationId) { emit activated(conversationId); }
    QList<Notification> shown;
};

const QString ServiceName = QStringLiteral("org.freedesktop.Notifications");
const QString ObjectPath = QStringLiteral("/org/freedesktop/Notifications");

} // namespace

#ifdef AGENT_CONSOLE_HAVE_DBUS
// A notification server as the specification describes it, enough to check what the console sends.
class FakeNotificationServer : public QObject
{
    Q_OBJECT
    Q_CLASSINFO("D-Bus Interface", "org.freedesktop.Notifications")
public:
    struct Call
    {
        QString appName;
        uint replacesId;
        QString icon;
        QString summary;
        QString body;
        QStringList actions;
        QVariantMap hints;
        int timeout;
        uint id; // what the server answered
    };
    QList<Call> calls;
    QStringList capabilities {QStringLiteral("actions"), QStringLiteral("body"), QStringLiteral("body-markup")};
    uint nextId = 1;

public slots:
    uint Notify(const QString &appName, uint replacesId, const QString &icon, const QString &summary,
        const QString &body, const QStringList &actions, const QVariantMap &hints, int timeout)
    {
        const uint id = replacesId != 0 ? replacesId : nextId++;
        calls.append({appName, replacesId, icon, summary, body, actions, hints, timeout, id});
        return id;
    }
    QStringList GetCapabilities() { return capabilities; }
    void CloseNotification(uint id) { emit NotificationClosed(id, 3); }

signals:
    void ActionInvoked(uint id, const QString &actionKey);
    void NotificationClosed(uint id, uint reason);
};
#endif

class TestNotifications : public QObject
{
    Q_OBJECT

    QString m_noBus; // why the D-Bus cases skip; empty when a private session bus is there
#ifdef AGENT_CONSOLE_HAVE_DBUS
    std::unique_ptr<FakeNotificationServer> m_server;
    QString m_serverConnection = QStringLiteral("fake-notification-server");
#endif

    static QString artifactsDir()
    {
        const QString dir = qEnvironmentVariable("AGENT_CONSOLE_ARTIFACTS");
        if (!dir.isEmpty())
            QDir().mkpath(dir);
        return dir;
    }
#ifdef AGENT_CONSOLE_HAVE_DBUS
    // Starts the fake server on its own bus connection, so calls really cross the bus daemon.
    bool startServer()
    {
        m_server = std::make_unique<FakeNotificationServer>();
        QDBusConnection bus = QDBusConnection::connectToBus(QDBusConnection::SessionBus, m_serverConnection);
        return bus.registerObject(
                   ObjectPath, m_server.get(), QDBusConnection::ExportAllSlots | QDBusConnection::ExportAllSignals)
            && bus.registerService(ServiceName);
    }
    void stopServer()
    {
        QDBusConnection bus(m_serverConnection);
        bus.unregisterService(ServiceName);
        bus.unregisterObject(ObjectPath);
        m_server.reset();
    }
#endif

#define REQUIRE_BUS()                                                                                                  \
    if (!m_noBus.isEmpty())                                                                                            \
        SKIP_MISSING_DEPENDENCY(m_noBus);

private slots:
    void initTestCase()
    {
#ifdef AGENT_CONSOLE_HAVE_DBUS
        if (qgetenv("AGENT_CONSOLE_PRIVATE_SESSION") != "1")
            m_noBus = QStringLiteral("The D-Bus cases run only inside tests/app/private-session.sh (as ctest runs "
                                     "them), never on the desktop's own session bus");
        else if (!QDBusConnection::sessionBus().isConnected())
            m_noBus = u"No private session bus (is dbus-daemon installed?): "_qs
                + QDBusConnection::sessionBus().lastError().message();
#endif
    }

    void cleanup()
    {
#ifdef AGENT_CONSOLE_HAVE_DBUS
        if (m_server)
            stopServer();
#endif
    }

    // NotificationCenter -------------------------------------------------------------------------

    void notifiesWhenNotOnScreen()
    {
        RecordingNotifier notifier;
        NotificationCenter center(&notifier);
        center.onInbound(
            QStringLiteral("c1"), QStringLiteral("Ana Customer"), QStringLiteral("Is my order late?"), false);
        QCOMPARE(notifier.shown.size(), 1);
        QCOMPARE(notifier.shown.at(0).conversationId, u"c1");
        QCOMPARE(notifier.shown.at(0).title, u"Ana Customer");
        QCOMPARE(notifier.shown.at(0).body, u"Is my order late?");
    }

    void staysQuietWhenOnScreen()
    {
        RecordingNotifier notifier;
        NotificationCenter center(&notifier);
        center.onInbound(QStringLiteral("c1"), QStringLiteral("Ana Customer"), QStringLiteral("hello"), true);
        QVERIFY(notifier.shown.isEmpty());
        center.onInbound(QStringLiteral("c2"), QStringLiteral("Ben"), QStringLiteral("hi"), false);
        QCOMPARE(notifier.shown.size(), 1); // the same center still notifies for what is not on screen
        QCOMPARE(notifier.shown.at(0).conversationId, u"c2");
    }

    void namelessAndTextlessMessagesStillSaySomething()
    {
        RecordingNotifier notifier;
        NotificationCenter center(&notifier);
        center.onInbound(QStringLiteral("c9"), QString(), QStringLiteral("  "), false);
        QCOMPARE(notifier.shown.size(), 1);
        QCOMPARE(notifier.shown.at(0).title, u"Conversation c9");
        QCOMPARE(notifier.shown.at(0).body, u"Sent an attachment");
    }

    void clickOpensTheConversation()
    {
        RecordingNotifier notifier;
        NotificationCenter center(&notifier);
        QSignalSpy open(&center, &NotificationCenter::openRequested);
        notifier.click(QStringLiteral("c2"));
        QCOMPARE(open.size(), 1);
        QCOMPARE(open.at(0).at(0).toString(), u"c2");

        // After a notifier swap only the new one's clicks count.
        RecordingNotifier other;
        center.setNotifier(&other);
        notifier.click(QStringLiteral("c3"));
        other.click(QStringLiteral("c4"));
        QCOMPARE(open.size(), 2);
        QCOMPARE(open.at(1).at(0).toString(), u"c4");
    }

    void excerptIsOneLineAndCut()
    {
        QCOMPARE(Notifier::excerpt(QStringLiteral("two\nlines\t here")), u"two lines here");
        const QString longText = QString(300, u'a');
        const QString cut = Notifier::excerpt(longText);
        QVERIFY(cut.size() <= Notifier::MaxBodyChars);
        QVERIFY(cut.endsWith(QChar(0x2026)));
        // Never half of a surrogate pair: 199 emoji of two UTF-16 units each.
        QString emoji;
        for (int i = 0; i < 199; ++i)
            emoji += QString::fromUtf8("\xF0\x9F\x98\x80");
        const QString cutEmoji = Notifier::excerpt(emoji);
        QVERIFY(cutEmoji.size() <= Notifier::MaxBodyChars);
        QVERIFY(!cutEmoji.chopped(1).back().isHighSurrogate());
        QCOMPARE(cutEmoji.chopped(1).size() % 2, 0);
    }

#ifdef AGENT_CONSOLE_HAVE_DBUS
    // FreedesktopNotifier on a real bus --------------------------------------------------------

    void notifyCallCarriesEscapedTruncatedBody()
    {
        REQUIRE_BUS();
        QVERIFY(startServer());
        FreedesktopNotifier notifier(nullptr);
        QTRY_VERIFY(notifier.capabilitiesKnown());
        QVERIFY(notifier.serverUsesMarkup());
        const QString text = u"<b>Refund</b> & <a href=\"https://evil.example\">click</a> "_qs + QString(300, u'x');
        notifier.notify(QStringLiteral("c1"), QStringLiteral("Ana <Customer>"), text);
        QTRY_COMPARE(m_server->calls.size(), 1);
        const auto &call = m_server->calls.at(0);
        QCOMPARE(call.replacesId, 0u);
        QCOMPARE(call.appName, QGuiApplication::applicationDisplayName());
        QCOMPARE(call.icon, u"agent-console");
        QCOMPARE(call.summary, u"Ana <Customer>"); // the summary is plain text by the specification
        QVERIFY2(
            call.body.startsWith(u"&lt;b&gt;Refund&lt;/b&gt; &amp; &lt;a href=&quot;https://evil.example&quot;&gt;"),
            qPrintable(call.body));
        QVERIFY(!call.body.contains(u'<'));
        QVERIFY(call.body.endsWith(QChar(0x2026)));
        QVERIFY(call.body.count(u'x') < 200);
        QCOMPARE(call.actions.mid(0, 1), QStringList {QStringLiteral("default")});
        QCOMPARE(call.hints.value(QStringLiteral("desktop-entry")).toString(), u"agent-console");
        QCOMPARE(call.timeout, -1);
        QVERIFY(!notifier.usesFallback());
    }

    void plainServerGetsPlainText()
    {
        REQUIRE_BUS();
        QVERIFY(startServer());
        m_server->capabilities = {QStringLiteral("body"), QStringLiteral("actions")};
        FreedesktopNotifier notifier(nullptr);
        QTRY_VERIFY(notifier.capabilitiesKnown());
        QVERIFY(!notifier.serverUsesMarkup());
        notifier.notify(QStringLiteral("c1"), QStringLiteral("Ana"), QStringLiteral("a < b & c"));
        QTRY_COMPARE(m_server->calls.size(), 1);
        QCOMPARE(m_server->calls.at(0).body, u"a < b & c"); // shown as is: escaping would show "&lt;"
    }

    void burstShowsOneNotificationPerConversation()
    {
        REQUIRE_BUS();
        QVERIFY(startServer());
        FreedesktopNotifier notifier(nullptr);
        // Three messages of c1 arrive before the server has answered the first.
        notifier.notify(QStringLiteral("c1"), QStringLiteral("Ana"), QStringLiteral("one"));
        notifier.notify(QStringLiteral("c1"), QStringLiteral("Ana"), QStringLiteral("two"));
        notifier.notify(QStringLiteral("c1"), QStringLiteral("Ana"), QStringLiteral("three"));
        notifier.notify(QStringLiteral("c2"), QStringLiteral("Ben"), QStringLiteral("hi"));
        QTRY_COMPARE(m_server->calls.size(), 3);
        QTRY_VERIFY(notifier.notificationId(QStringLiteral("c1")) != 0);
        const auto calls = m_server->calls;
        QCOMPARE(calls.at(0).body, u"one");
        QCOMPARE(calls.at(0).replacesId, 0u);
        QCOMPARE(calls.at(1).body, u"hi");
        QCOMPARE(calls.at(1).replacesId, 0u);
        QCOMPARE(calls.at(2).body, u"three"); // "two" was overtaken before it was shown
        QCOMPARE(calls.at(2).replacesId, calls.at(0).id);

        // Later messages replace the same notification.
        notifier.notify(QStringLiteral("c1"), QStringLiteral("Ana"), QStringLiteral("four"));
        notifier.notify(QStringLiteral("c2"), QStringLiteral("Ben"), QStringLiteral("again"));
        QTRY_COMPARE(m_server->calls.size(), 5);
        QSet<uint> ids;
        for (const auto &call : std::as_const(m_server->calls))
            ids.insert(call.id);
        QCOMPARE(ids.size(), 2); // one notification per conversation on screen, whatever the burst
        QCOMPARE(m_server->calls.at(3).replacesId, calls.at(0).id);
        QCOMPARE(m_server->calls.at(4).replacesId, calls.at(1).id);
    }

    void actionInvokedOpensItsConversation()
    {
        REQUIRE_BUS();
        QVERIFY(startServer());
        FreedesktopNotifier notifier(nullptr);
        NotificationCenter center(&notifier);
        QSignalSpy open(&center, &NotificationCenter::openRequested);
        center.onInbound(QStringLiteral("c1"), QStringLiteral("Ana"), QStringLiteral("one"), false);
        center.onInbound(QStringLiteral("c2"), QStringLiteral("Ben"), QStringLiteral("two"), false);
        QTRY_COMPARE(m_server->calls.size(), 2);
        // The ids are known once the answers are back; a click comes later than that anyway.
        QTRY_VERIFY(
            notifier.notificationId(QStringLiteral("c1")) != 0 && notifier.notificationId(QStringLiteral("c2")) != 0);
        emit m_server->ActionInvoked(notifier.notificationId(QStringLiteral("c2")), QStringLiteral("default"));
        QVERIFY(open.wait(5000));
        QCOMPARE(open.at(0).at(0).toString(), u"c2");

        // Another application's notification id means nothing here. Signals of one sender arrive in
        // order, so once the later click is in, the unknown one has been handled (and ignored).
        emit m_server->ActionInvoked(9999, QStringLiteral("default"));
        emit m_server->ActionInvoked(notifier.notificationId(QStringLiteral("c1")), QStringLiteral("default"));
        QTRY_COMPARE(open.size(), 2);
        QCOMPARE(open.at(1).at(0).toString(), u"c1");
    }

    void closedNotificationIsNotReplacedButNew()
    {
        REQUIRE_BUS();
        QVERIFY(startServer());
        FreedesktopNotifier notifier(nullptr);
        notifier.notify(QStringLiteral("c1"), QStringLiteral("Ana"), QStringLiteral("one"));
        QTRY_VERIFY(notifier.notificationId(QStringLiteral("c1")) != 0);
        const uint first = m_server->calls.at(0).id;
        QCOMPARE(notifier.notificationId(QStringLiteral("c1")), first);
        // The agent dismissed it: a new message raises a new notification instead of replacing a gone one.
        emit m_server->NotificationClosed(first, 2);
        QTRY_COMPARE(notifier.notificationId(QStringLiteral("c1")), 0u);
        notifier.notify(QStringLiteral("c1"), QStringLiteral("Ana"), QStringLiteral("two"));
        QTRY_COMPARE(m_server->calls.size(), 2);
        QCOMPARE(m_server->calls.at(1).replacesId, 0u);
        QTRY_VERIFY(notifier.notificationId(QStringLiteral("c1")) != 0);
        QVERIFY(notifier.notificationId(QStringLiteral("c1")) != first);
    }

    void withoutServerFallsBackToTheTray()
    {
        REQUIRE_BUS();
        const QStringList activatable = QDBusConnection::sessionBus().interface()->activatableServiceNames();
        if (activatable.contains(ServiceName))
            SKIP_MISSING_DEPENDENCY(
                "A notification server is D-Bus-activatable in this session; the fallback cannot be provoked");
        RecordingNotifier fallback;
        FreedesktopNotifier notifier(&fallback);
        QSignalSpy activated(&notifier, &Notifier::activated);
        notifier.notify(QStringLiteral("c1"), QStringLiteral("Ana"), QStringLiteral("hello"));
        QTRY_COMPARE(fallback.shown.size(), 1);
        QVERIFY(notifier.usesFallback());
        QCOMPARE(fallback.shown.at(0).body, u"hello");
        notifier.notify(QStringLiteral("c2"), QStringLiteral("Ben"), QStringLiteral("next"));
        QCOMPARE(fallback.shown.size(), 2); // straight to the fallback now, no more bus round trips
        fallback.click(QStringLiteral("c2"));
        QCOMPARE(activated.size(), 1);
        QCOMPARE(activated.at(0).at(0).toString(), u"c2");
    }

    void withoutBusFallsBackAtOnce()
    {
        // Runs anywhere: a bus address that does not exist.
        const QDBusConnection none = QDBusConnection::connectToBus(
            QStringLiteral("unix:path=/nonexistent/agent-console-bus"), QStringLiteral("no-bus"));
        RecordingNotifier fallback;
        FreedesktopNotifier notifier(none, &fallback);
        QVERIFY(notifier.usesFallback());
        notifier.notify(QStringLiteral("c1"), QStringLiteral("Ana"), QStringLiteral("hello"));
        QCOMPARE(fallback.shown.size(), 1);
        QDBusConnection::disconnectFromBus(QStringLiteral("no-bus"));
    }
#endif

    // TrayIcon -------------------------------------------------------------------------------

    void trayToolTipSaysUnreadAndNotSent()
    {
        QWidget window;
        TrayIcon tray(&window);
        QCOMPARE(tray.toolTip(), u"Agent Console");
        tray.setUnreadCount(3);
        QCOMPARE(tray.toolTip(), u"Agent Console — 3 unread");
        tray.setUnsentCount(1);
        QCOMPARE(tray.toolTip(), u"Agent Console — 3 unread, 1 not sent");
        QCOMPARE(tray.systemTrayIcon()->toolTip(), tray.toolTip());
        tray.setUnreadCount(0);
        QCOMPARE(tray.toolTip(), u"Agent Console — 1 not sent");
        tray.setUnreadCount(-4); // nonsense from a caller is clamped, not shown
        QCOMPARE(tray.unreadCount(), 0);
    }

    void badgeChangesWithCounts()
    {
        QWidget window;
        TrayIcon tray(&window);
        const int size = 64;
        const QImage plain = tray.pixmap(size).toImage();
        tray.setUnreadCount(3);
        const QImage three = tray.pixmap(size).toImage();
        tray.setUnreadCount(12);
        const QImage twelve = tray.pixmap(size).toImage();
        tray.setUnsentCount(2);
        const QImage failed = tray.pixmap(size).toImage();
        tray.setUnreadCount(0);
        tray.setUnsentCount(0);
        QCOMPARE(tray.pixmap(size).toImage(), plain); // back to the plain icon

        // Unread: the top right corner turns badge blue.
        const QPoint badgeEdge(size - 5, size / 4); // inside the badge, clear of its digits
        QCOMPARE(three.pixelColor(badgeEdge).rgb() & 0xffffff, QColor(0x1a, 0x73, 0xe8).rgb() & 0xffffff);
        QVERIFY(plain.pixelColor(badgeEdge) != three.pixelColor(badgeEdge));
        QVERIFY(three != twelve); // the number is drawn
        // Failed replies: a red mark bottom left; none before.
        const QPoint markEdge(4, size * 3 / 4);
        QCOMPARE(failed.pixelColor(markEdge).rgb() & 0xffffff, QColor(0xd9, 0x30, 0x25).rgb() & 0xffffff);
        QVERIFY(twelve.pixelColor(markEdge) != failed.pixelColor(markEdge));
        QVERIFY(!tray.systemTrayIcon()->icon().isNull());

        // On HiDPI the badge is drawn at device pixels, not scaled up.
        tray.setUnreadCount(5);
        const QPixmap hidpi = tray.pixmap(32, 2.0);
        QCOMPARE(hidpi.size(), QSize(64, 64));
        QCOMPARE(hidpi.devicePixelRatio(), 2.0);

        const QString dir = artifactsDir();
        if (!dir.isEmpty()) {
            // One strip for the eye: plain, 3 unread, 12 unread + 2 failed, "99+", at 64 and 22 px.
            QImage strip(4 * (size + 8) + 4 * (22 + 8), size + 8, QImage::Format_ARGB32);
            strip.fill(QColor(0xee, 0xee, 0xee));
            QPainter p(&strip);
            p.drawImage(4, 4, plain);
            p.drawImage(size + 12, 4, three);
            p.drawImage(2 * (size + 8) + 4, 4, failed);
            tray.setUnsentCount(0);
            tray.setUnreadCount(150);
            p.drawImage(3 * (size + 8) + 4, 4, tray.pixmap(size).toImage());
            int x = 4 * (size + 8) + 4;
            for (const auto &[unread, unsent] : {std::pair {0, 0}, {3, 0}, {12, 2}, {150, 0}}) {
                tray.setUnreadCount(unread);
                tray.setUnsentCount(unsent);
                p.drawImage(x, 4 + (size - 22) / 2, tray.pixmap(22).toImage());
                x += 22 + 8;
            }
            p.end();
            QVERIFY(strip.save(dir + QStringLiteral("/tray-badges.png")));
        }
    }

    void trayMenuShowsTheWindowAndQuits()
    {
        QWidget window;
        TrayIcon tray(&window);
        QSignalSpy quit(&tray, &TrayIcon::quitRequested);
        QVERIFY(!window.isVisible());
        tray.menu()->findChild<QAction *>(QStringLiteral("trayShowAction"))->trigger();
        QVERIFY(window.isVisible());
        window.showMinimized();
        emit tray.systemTrayIcon()->activated(QSystemTrayIcon::Trigger); // a click on the icon
        QVERIFY(!window.isMinimized());
        tray.menu()->findChild<QAction *>(QStringLiteral("trayQuitAction"))->trigger();
        QCOMPARE(quit.size(), 1);
    }

    void trayBalloonsAreTheFallbackNotifier()
    {
        QWidget window;
        TrayIcon tray(&window);
        TrayNotifier balloons(tray.systemTrayIcon());
        QSignalSpy activated(&balloons, &Notifier::activated);
        balloons.notify(QStringLiteral("c1"), QStringLiteral("Ana"), QStringLiteral("one"));
        balloons.notify(QStringLiteral("c2"), QStringLiteral("Ben"), QStringLiteral("two"));
        emit tray.systemTrayIcon()->messageClicked();
        QCOMPARE(activated.size(), 1);
        QCOMPARE(activated.at(0).at(0).toString(), u"c2"); // a balloon has no id: the latest one was clicked
    }
};

QTEST_MAIN(TestNotifications)
#include "tst_notifications.moc"

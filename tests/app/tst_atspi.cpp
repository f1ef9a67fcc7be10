// What a screen reader on Linux reads, through the real AT-SPI bus (issue 18): the real agent-console
// on an X server of its own (Xvfb) with Qt's AT-SPI bridge on, in a private D-Bus session
// (private-session.sh) whose accessibility bus D-Bus starts on demand (at-spi2-core). The test is the
// screen reader: it walks the console's accessible tree over D-Bus, as Orca does, and fails on any control
// without a name — hidden ones included, since a reader lists them too and says only "button". It walks
// the main window with a reply not sent and the connection lost (the banner's "Reconnect now"), and the
// dialogs it opens by pressing the menu items through AT-SPI's own Action interface.
#include "missingdependency.h"
#include "widgetserver.h"

#include <QDBusArgument>
#include <QDBusConnection>
#include <QDBusConnectionInterface>
#include <QDBusMessage>
#include <QDBusVariant>
#include <QDir>
#include <QProcess>
#include <QSet>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>

static const QString Token = QStringLiteral("atspi-test-token");
static const QString Tenant = QStringLiteral("t1");

// The roles a reader lets the agent reach and act on: each needs a name.
static const QSet<QString> ControlRoles {u"push button"_qs, u"toggle button"_qs, u"check box"_qs, u"radio button"_qs,
    u"combo box"_qs, u"text"_qs, u"password text"_qs, u"entry"_qs, u"spin button"_qs, u"slider"_qs, u"list"_qs,
    u"list box"_qs, u"list item"_qs, u"menu item"_qs, u"page tab"_qs, u"table"_qs, u"tree"_qs, u"tree table"_qs,
    u"link"_qs};

// An accessible object on the AT-SPI bus: the application's bus name and the object's path.
struct Ref
{
    QString service;
    QString path;
};

// A minimal AT-SPI client over QtDBus: what libatspi does for Orca, one blocking call at a time (a test,
// against another process).
class AtSpi
{
public:
    bool connect()
    {
        const QDBusMessage reply
            = QDBusConnection::sessionBus().call(QDBusMessage::createMethodCall(QStringLiteral("org.a11y.Bus"),
                QStringLiteral("/org/a11y/bus"), QStringLiteral("org.a11y.Bus"), QStringLiteral("GetAddress")));
        if (reply.type() != QDBusMessage::ReplyMessage || reply.arguments().isEmpty())
            return false;
        m_bus = std::make_unique<QDBusConnection>(
            QDBusConnection::connectToBus(reply.arguments().constFirst().toString(), QStringLiteral("a11y")));
        return m_bus->isConnected();
    }
    // The application of process `pid`, once it has registered.
    std::optional<Ref> application(qint64 pid) const
    {
        for (const Ref &app : children(Ref {QStringLiteral("org.a11y.atspi.Registry"), Root})) {
            if (m_bus->interface()->servicePid(app.service).value() == pid)
                return app;
        }
        return std::nullopt;
    }
    QList<Ref> children(const Ref &ref) const
    {
        QList<Ref> refs;
        const QDBusMessage reply
            = call(ref, QStringLiteral("org.a11y.atspi.Accessible"), QStringLiteral("GetChildren"));
        if (reply.arguments().isEmpty())
            return refs;
        const QDBusArgument array = reply.arguments().constFirst().value<QDBusArgument>();
        array.beginArray();
        while (!array.atEnd()) {
            QString service;
            QDBusObjectPath path;
            array.beginStructure();
            array >> service >> path;
            array.endStructure();
            refs.append(Ref {service, path.path()});
        }
        array.endArray();
        return refs;
    }
    // Properties.Get, one property at a time as libatspi asks (Qt 6.4 crashes on Properties.GetAll).
    QString name(const Ref &ref) const
    {
        const QDBusMessage reply = call(ref, QStringLiteral("org.freedesktop.DBus.Properties"), QStringLiteral("Get"),
            {QStringLiteral("org.a11y.atspi.Accessible"), QStringLiteral("Name")});
        return reply.arguments().isEmpty() ? QString()
                                           : reply.arguments().constFirst().value<QDBusVariant>().variant().toString();
    }
    QString role(const Ref &ref) const
    {
        const QDBusMessage reply
            = call(ref, QStringLiteral("org.a11y.atspi.Accessible"), QStringLiteral("GetRoleName"));
        return reply.arguments().isEmpty() ? QString() : reply.arguments().constFirst().toString();
    }
    bool showing(const Ref &ref) const
    {
        const QDBusMessage reply = call(ref, QStringLiteral("org.a11y.atspi.Accessible"), QStringLiteral("GetState"));
        if (reply.arguments().isEmpty())
            return false;
        QList<uint> words;
        reply.arguments().constFirst().value<QDBusArgument>() >> words;
        return !words.isEmpty() && (words.constFirst() & (1u << 25)); // ATSPI_STATE_SHOWING
    }
    bool press(const Ref &ref) const
    {
        const QDBusMessage reply
            = call(ref, QStringLiteral("org.a11y.atspi.Action"), QStringLiteral("DoAction"), {QVariant(0)});
        return reply.type() == QDBusMessage::ReplyMessage;
    }

private:
    QDBusMessage call(
        const Ref &ref, const QString &interface, const QString &method, const QVariantList &args = {}) const
    {
        QDBusMessage message = QDBusMessage::createMethodCall(ref.service, ref.path, interface, method);
        message.setArguments(args);
        return m_bus->call(message, QDBus::Block, 10000);
    }

    static constexpr char Root[] = "/org/a11y/atspi/accessible/root";
    std::unique_ptr<QDBusConnection> m_bus;
};

struct Node
{
    Ref ref;
    QString role;
    QString name;
    QString path; // "frame 'Title' > filler 'Connection status' > push button ''"
};

class TestAtSpi : public QObject
{
    Q_OBJECT

    QProcess m_xvfb;
    QString m_display;
    AtSpi m_atspi;
    std::unique_ptr<QTemporaryDir> m_home;
    std::unique_ptr<WidgetServer> m_server;
    std::unique_ptr<QProcess> m_console;
    Ref m_app;

    // Every object under `from`, depth first, with its role, name and where it is.
    QList<Node> walk(const Ref &from, const QString &path = QString(), int depth = 0) const
    {
        const QString role = m_atspi.role(from);
        const QString name = m_atspi.name(from);
        const QString here = (path.isEmpty() ? QString() : path + QStringLiteral(" > "))
            + QStringLiteral("%1 '%2'").arg(role, name.left(40));
        QList<Node> nodes {Node {from, role, name, here}};
        if (depth > 40)
            return nodes;
        const QList<Ref> children = m_atspi.children(from);
        for (qsizetype i = 0; i < qMin<qsizetype>(children.size(), 60); ++i)
            nodes += walk(children.at(i), here, depth + 1);
        return nodes;
    }
    static QStringList unnamed(const QList<Node> &nodes)
    {
        QStringList problems;
        for (const Node &node : nodes) {
            if (ControlRoles.contains(node.role) && node.name.trimmed().isEmpty())
                problems << node.path;
        }
        return problems;
    }
    std::optional<Node> find(const QString &role, const QString &name) const
    {
        for (const Node &node : walk(m_app)) {
            if (node.role == role && node.name == name)
                return node;
        }
        return std::nullopt;
    }
    int windowCount() const { return int(m_atspi.children(m_app).size()); }

private slots:
    void initTestCase()
    {
        if (qEnvironmentVariableIsEmpty("DBUS_SESSION_BUS_ADDRESS"))
            SKIP_MISSING_DEPENDENCY("no D-Bus session bus (tests/app/private-session.sh needs dbus-run-session)");
        const QString xvfb = QStandardPaths::findExecutable(QStringLiteral("Xvfb"));
        if (xvfb.isEmpty())
            SKIP_MISSING_DEPENDENCY("no Xvfb (package xvfb): Qt's AT-SPI bridge needs a real display server");
        if (!m_atspi.connect())
            SKIP_MISSING_DEPENDENCY("no accessibility bus (package at-spi2-core: org.a11y.Bus is not activatable)");
        m_xvfb.setStandardErrorFile(QProcess::nullDevice());
        m_xvfb.start(xvfb,
            {QStringLiteral("-displayfd"), QStringLiteral("1"), QStringLiteral("-nolisten"), QStringLiteral("tcp"),
                QStringLiteral("-screen"), QStringLiteral("0"), QStringLiteral("1280x800x24")});
        QByteArray out;
        QTRY_VERIFY_WITH_TIMEOUT((out += m_xvfb.readAllStandardOutput()).contains('\n'), 10000);
        m_display = u':' + QString::fromLatin1(out.trimmed());
    }
    void cleanupTestCase()
    {
        m_xvfb.terminate();
        m_xvfb.waitForFinished(5000);
    }

    void init()
    {
        m_home = std::make_unique<QTemporaryDir>();
        m_server = std::make_unique<WidgetServer>();
        m_server->setToken(Token);
        QVERIFY(m_server->listen(QHostAddress::LocalHost, 0));
        m_server->addConversation(Tenant, QStringLiteral("c1"), QStringLiteral("Ana Souza"));
        StoredMessage failed;
        failed.id = QStringLiteral("msg_1_failed");
        failed.text = QStringLiteral("Your refund is on its way");
        failed.timestamp = QDateTime::currentDateTimeUtc().addSecs(-60);
        failed.status = QStringLiteral("failed");
        failed.error = QStringLiteral("The customer's phone could not be reached");
        m_server->addHistoryMessage(Tenant, QStringLiteral("c1"), failed);

        QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
        env.insert(QStringLiteral("QT_QPA_PLATFORM"), QStringLiteral("xcb"));
        env.insert(QStringLiteral("DISPLAY"), m_display);
        env.insert(QStringLiteral("QT_LINUX_ACCESSIBILITY_ALWAYS_ON"), QStringLiteral("1"));
        env.insert(QStringLiteral("HOME"), m_home->path());
        env.insert(QStringLiteral("XDG_CONFIG_HOME"), m_home->filePath(QStringLiteral("config")));
        env.insert(QStringLiteral("XDG_DATA_HOME"), m_home->filePath(QStringLiteral("data")));
        env.insert(QStringLiteral("AGENT_CONSOLE_TOKEN"), Token);
        m_console = std::make_unique<QProcess>();
        m_console->setProcessEnvironment(env);
        m_console->setProcessChannelMode(QProcess::ForwardedErrorChannel);
        m_console->start(QStringLiteral(AGENT_CONSOLE_EXECUTABLE),
            {QStringLiteral("--api-url"), m_server->baseUrl().toString(), QStringLiteral("--tenant"), Tenant,
                QStringLiteral("--conversation"), QStringLiteral("c1")});
        QVERIFY(m_console->waitForStarted(10000));
        std::optional<Ref> app;
        QTRY_VERIFY_WITH_TIMEOUT((app = m_atspi.application(m_console->processId())).has_value(), 20000);
        m_app = *app;
        // On screen: the history with the reply not sent, and the live connection.
        QTRY_VERIFY_WITH_TIMEOUT(find(u"list item"_qs, u"You: Your refund is on its way"_qs).has_value()
                || find(u"push button"_qs, u"1 reply not sent, show the first"_qs).has_value(),
            20000);
        QTRY_COMPARE_WITH_TIMEOUT(m_server->socketCount(), 1, 20000);
    }
    void cleanup()
    {
        if (m_console) {
            m_console->kill();
            m_console->waitForFinished(5000);
        }
        m_console.reset();
        m_server.reset();
        m_home.reset();
    }

    void everyControlOfTheMainWindowHasAName()
    {
        const QList<Node> nodes = walk(m_app);
        QVERIFY2(nodes.size() > 40, qPrintable(QString::number(nodes.size())));
        const QStringList problems = unnamed(nodes);
        QVERIFY2(problems.isEmpty(), qPrintable(problems.join(u'\n')));
        // The new controls are there, by name: the phone in the header, the find bar, the completion.
        QVERIFY(find(u"text"_qs, u"Find"_qs));
        QVERIFY(find(u"list"_qs, u"Canned responses"_qs));
        QVERIFY(find(u"push button"_qs, u"1 reply not sent, show the first"_qs));
    }

    // The banner's button, read by what it does while the connection is down for good.
    void theReconnectButtonIsReadByItsName()
    {
        m_server->disconnectAllSockets(); // Socket.IO "41": the console stays away and offers to reconnect
        std::optional<Node> button;
        QTRY_VERIFY_WITH_TIMEOUT(
            (button = find(u"push button"_qs, u"Reconnect now"_qs)).has_value() && m_atspi.showing(button->ref), 20000);
        QVERIFY2(button->path.contains(u"Connection status"), qPrintable(button->path));
        const QStringList problems = unnamed(walk(m_app));
        QVERIFY2(problems.isEmpty(), qPrintable(problems.join(u'\n')));
    }

    // Every window, opened the way a reader's user opens it: the menu item's action over AT-SPI.
    void everyDialogHasNamedControls_data()
    {
        QTest::addColumn<QString>("menuItem");
        QTest::newRow("keyboard shortcuts") << u"Keyboard shortcuts"_qs;
        QTest::newRow("open conversation") << u"Open conversation…"_qs;
    }
    void everyDialogHasNamedControls()
    {
        QFETCH(QString, menuItem);
        const int windows = windowCount();
        const std::optional<Node> item = find(u"menu item"_qs, menuItem);
        QVERIFY2(item, qPrintable(menuItem));
        QVERIFY(m_atspi.press(item->ref));
        QTRY_VERIFY_WITH_TIMEOUT(windowCount() > windows, 10000);
        const QList<Node> nodes = walk(m_app);
        const QStringList problems = unnamed(nodes);
        QVERIFY2(problems.isEmpty(), qPrintable(problems.join(u'\n')));
    }
};

QTEST_GUILESS_MAIN(TestAtSpi)
#include "tst_atspi.moc"

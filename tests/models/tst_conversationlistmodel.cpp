// ConversationListModel under QAbstractItemModelTester: rows keep their id -> row index through adds
// and removes, every setter repaints exactly the roles it changed, a no-op emits nothing, and the
// preview is one line of plain text.
#include "conversationlistmodel.h"

#include <QAbstractItemModelTester>
#include <QSignalSpy>
#include <QTest>

#include <memory>

using Roles = QList<int>;
using M = ConversationListModel;

class TestConversationListModel : public QObject
{
    Q_OBJECT

    std::unique_ptr<M> m_model;
    std::unique_ptr<QAbstractItemModelTester> m_tester;

    Roles lastRoles(const QSignalSpy &spy) const { return spy.last().at(2).value<Roles>(); }

private slots:
    void init()
    {
        m_model = std::make_unique<M>();
        m_tester = std::make_unique<QAbstractItemModelTester>(
            m_model.get(), QAbstractItemModelTester::FailureReportingMode::QtTest);
    }
    void cleanup()
    {
        m_tester.reset();
        m_model.reset();
    }

    void addKeepsOrderAndIgnoresKnownIds()
    {
        QVERIFY(m_model->add(QStringLiteral("a")));
        QVERIFY(m_model->add(QStringLiteral("b")));
        QVERIFY(m_model->add(QStringLiteral("c")));
        QVERIFY(!m_model->add(QStringLiteral("b")));
        QVERIFY(!m_model->add(QString()));
        QCOMPARE(m_model->ids(), (QStringList {u"a"_qs, u"b"_qs, u"c"_qs}));
        QCOMPARE(m_model->rowOf(QStringLiteral("c")), 2);
        QCOMPARE(m_model->rowOf(QStringLiteral("zzz")), -1);
    }

    void removeReindexesTheRowsBehind()
    {
        for (const char *id : {"a", "b", "c", "d"})
            m_model->add(QString::fromLatin1(id));
        QVERIFY(m_model->remove(QStringLiteral("b")));
        QVERIFY(!m_model->remove(QStringLiteral("b")));
        QCOMPARE(m_model->ids(), (QStringList {u"a"_qs, u"c"_qs, u"d"_qs}));
        for (int row = 0; row < m_model->rowCount(); ++row)
            QCOMPARE(m_model->rowOf(m_model->idAt(row)), row);
        QCOMPARE(m_model->indexOf(QStringLiteral("d")).data(M::IdRole).toString(), u"d");
    }

    void nameIsTheIdUntilKnown()
    {
        m_model->add(QStringLiteral("c42"));
        const QModelIndex index = m_model->index(0);
        QCOMPARE(index.data(Qt::DisplayRole).toString(), u"c42");
        QVERIFY(index.data(M::CustomerNameRole).toString().isEmpty());
        QSignalSpy changed(m_model.get(), &QAbstractItemModel::dataChanged);
        QVERIFY(m_model->setCustomerName(QStringLiteral("c42"), QStringLiteral("Ana Souza")));
        QCOMPARE(changed.size(), 1);
        QCOMPARE(lastRoles(changed), (Roles {M::CustomerNameRole, Qt::DisplayRole, Qt::AccessibleTextRole}));
        QCOMPARE(index.data(Qt::DisplayRole).toString(), u"Ana Souza");
        QVERIFY(!m_model->setCustomerName(QStringLiteral("c42"), QStringLiteral("Ana Souza")));
        QVERIFY(!m_model->setCustomerName(QStringLiteral("unknown"), QStringLiteral("X")));
        QCOMPARE(changed.size(), 1);
    }

    void settersEmitOnlyTheRolesThatChanged_data()
    {
        QTest::addColumn<int>("which"); // 0 unread, 1 unsent
        QTest::addColumn<Roles>("roles");
        QTest::newRow("unread") << 0 << Roles {M::UnreadCountRole, Qt::AccessibleTextRole};
        QTest::newRow("unsent") << 1 << Roles {M::UnsentCountRole, Qt::AccessibleTextRole};
    }
    void settersEmitOnlyTheRolesThatChanged()
    {
        QFETCH(int, which);
        QFETCH(Roles, roles);
        m_model->add(QStringLiteral("a"));
        m_model->add(QStringLiteral("b"));
        const auto set = [&](int n) {
            return which == 0 ? m_model->setUnreadCount(QStringLiteral("b"), n)
                              : m_model->setUnsentCount(QStringLiteral("b"), n);
        };
        QSignalSpy changed(m_model.get(), &QAbstractItemModel::dataChanged);
        QVERIFY(set(3));
        QCOMPARE(changed.size(), 1);
        QCOMPARE(changed.last().at(0).value<QModelIndex>().row(), 1);
        QCOMPARE(changed.last().at(1).value<QModelIndex>().row(), 1);
        QCOMPARE(lastRoles(changed), roles);
        QVERIFY(!set(3));
        QVERIFY(set(-1)); // a negative count is clamped to 0
        QCOMPARE(m_model->index(1).data(roles.first()).toInt(), 0);
        QCOMPARE(which == 0 ? m_model->unreadTotal() : m_model->unsentTotal(), 0);
        set(2);
        QCOMPARE(which == 0 ? m_model->unreadTotal() : m_model->unsentTotal(), 2);
    }

    void lastMessageChangesPreviewAndTimeSeparately()
    {
        m_model->add(QStringLiteral("a"));
        const QDateTime t1(QDate(2026, 11, 25), QTime(10, 0), Qt::UTC);
        QSignalSpy changed(m_model.get(), &QAbstractItemModel::dataChanged);
        QVERIFY(m_model->setLastMessage(QStringLiteral("a"), QStringLiteral("hello"), t1));
        QCOMPARE(lastRoles(changed), (Roles {M::PreviewRole, Qt::AccessibleTextRole, M::LastMessageTimeRole}));
        QVERIFY(m_model->setLastMessage(QStringLiteral("a"), QStringLiteral("hello"), t1.addSecs(5)));
        QCOMPARE(lastRoles(changed), Roles {M::LastMessageTimeRole});
        QVERIFY(m_model->setLastMessage(QStringLiteral("a"), QStringLiteral("hello  again"), t1.addSecs(5)));
        QCOMPARE(lastRoles(changed), (Roles {M::PreviewRole, Qt::AccessibleTextRole}));
        QCOMPARE(changed.size(), 3);
        QVERIFY(!m_model->setLastMessage(QStringLiteral("a"), QStringLiteral("hello \n again"), t1.addSecs(5)));
        QCOMPARE(changed.size(), 3);
        QCOMPARE(m_model->index(0).data(M::LastMessageTimeRole).toDateTime(), t1.addSecs(5));
    }

    void previewIsOneLineOfPlainText_data()
    {
        QTest::addColumn<QString>("text");
        QTest::addColumn<QString>("preview");
        QTest::newRow("plain") << u"Where is my order?"_qs << u"Where is my order?"_qs;
        QTest::newRow("lines") << u"first line\nsecond\r\n\tthird"_qs << u"first line second third"_qs;
        QTest::newRow("edges") << u"  \n padded \n "_qs << u"padded"_qs;
        QTest::newRow("separators") << QStringLiteral("a\u2028b\u2029c") << u"a b c"_qs;
        QTest::newRow("control") << QStringLiteral("bell\u0007 and null\u0000!") << u"bell and null!"_qs;
        QTest::newRow("markup stays literal") << u"<b>not bold</b>"_qs << u"<b>not bold</b>"_qs;
        QTest::newRow("emoji") << u"ok 👍"_qs << u"ok 👍"_qs;
    }
    void previewIsOneLineOfPlainText()
    {
        QFETCH(QString, text);
        QFETCH(QString, preview);
        QCOMPARE(M::previewOf(text), preview);
    }

    void longPreviewIsCutWithoutSplittingASurrogatePair()
    {
        QString text;
        for (int i = 0; i < 500; ++i)
            text += QStringLiteral("😀");
        const QString preview = M::previewOf(text);
        QVERIFY(preview.size() <= 200);
        QVERIFY(preview.size() >= 198);
        QVERIFY(!preview.back().isHighSurrogate());
        QCOMPARE(preview.size() % 2, 0);
    }

    void accessibleTextSaysWhatTheRowShows()
    {
        m_model->add(QStringLiteral("c1"));
        m_model->setCustomerName(QStringLiteral("c1"), QStringLiteral("Ana Souza"));
        m_model->setUnreadCount(QStringLiteral("c1"), 2);
        m_model->setLastMessage(
            QStringLiteral("c1"), QStringLiteral("Is the return free?"), QDateTime::currentDateTime());
        QCOMPARE(m_model->index(0).data(Qt::AccessibleTextRole).toString(),
            u"Ana Souza, 2 unread, last message: Is the return free?");
        m_model->setUnreadCount(QStringLiteral("c1"), 0);
        m_model->setUnsentCount(QStringLiteral("c1"), 1);
        QCOMPARE(m_model->index(0).data(Qt::AccessibleTextRole).toString(),
            u"Ana Souza, 1 not sent, last message: Is the return free?");
    }
};

QTEST_GUILESS_MAIN(TestConversationListModel)
#include "tst_conversationlistmodel.moc"

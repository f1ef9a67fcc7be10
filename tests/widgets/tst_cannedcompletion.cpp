// The canned-response completion in the composer (issue 18), driven by keys as an agent types: "/"
// opens it, typing narrows it (short code and content), ↑/↓ choose, Tab and Enter insert with the
// placeholders filled and never send, Esc closes; an empty list, a list still loading and one that could
// not be loaded say so, and the composer keeps working through all of it.
#include "cannedcompletion.h"
#include "composer.h"

#include <QLabel>
#include <QListWidget>
#include <QPlainTextEdit>
#include <QSignalSpy>
#include <QTest>
#include <QTextDocument>
#include <QToolButton>
#include <QVBoxLayout>

static const QList<CannedResponse> Responses {
    {"1", "refund", "Hi {{customer.name}}, your refund is on its way."},
    {"2", "hours", "We are open from 9 to 17."},
    {"3", "prefund", "Before we refund, please send a photo."},
    {"4", "callback", "We will call you back on {{customer.phone}}."},
};

class TestCannedCompletion : public QObject
{
    Q_OBJECT

    std::unique_ptr<QWidget> m_window;
    QWidget *m_history = nullptr;
    Composer *m_composer = nullptr;
    CannedCompletion *m_completion = nullptr;

    QPlainTextEdit *editor() const { return m_composer->editor(); }
    void type(const QString &text) { QTest::keyClicks(editor(), text); }
    void key(Qt::Key key, Qt::KeyboardModifiers modifiers = Qt::NoModifier)
    {
        QTest::keyClick(editor(), key, modifiers);
    }

private slots:
    void init()
    {
        m_window = std::make_unique<QWidget>();
        auto *layout = new QVBoxLayout(m_window.get());
        m_history = new QWidget(m_window.get());
        m_composer = new Composer(m_window.get());
        layout->addWidget(m_history, 1);
        layout->addWidget(m_composer);
        m_completion = new CannedCompletion(editor(), m_composer, m_window.get());
        m_completion->setFiller([](const QString &content) {
            return Canned::fill(content, Canned::Customer {u"Ana Souza"_qs, u"+55 11912345678"_qs});
        });
        m_completion->setList(CannedList {CannedList::State::Ready, Responses, QString()});
        m_window->resize(520, 480);
        m_window->show();
        QVERIFY(QTest::qWaitForWindowExposed(m_window.get()));
        editor()->setFocus();
    }
    void cleanup() { m_window.reset(); }

    void slashOpensTheWholeList()
    {
        QVERIFY(!m_completion->isOpen());
        type(u"/"_qs);
        QVERIFY(m_completion->isOpen());
        QCOMPARE(m_completion->shownCodes(), (QStringList {"refund", "hours", "prefund", "callback"}));
        QCOMPARE(m_completion->list()->currentRow(), 0);
        QVERIFY(m_completion->message()->isHidden());
        // Above the reply box, over the history, inside the window.
        QCOMPARE(m_completion->geometry().bottom() + 1, m_composer->geometry().top());
        QVERIFY(m_completion->geometry().top() >= 0);
        // Each row shows the response with its placeholders filled for this customer.
        QCOMPARE(m_completion->list()->item(0)->data(Qt::AccessibleTextRole).toString(),
            u"/refund: Hi Ana Souza, your refund is on its way."_qs);
    }

    // A customer's name is text in the row's tooltip too, never markup (a WhatsApp name is anyone's).
    void aCustomersNameIsNeverMarkupInTheTooltip()
    {
        m_completion->setFiller([](const QString &content) {
            return Canned::fill(content, Canned::Customer {u"<b>Ana</b> <img src=x>"_qs, QString()});
        });
        type(u"/refund"_qs);
        QVERIFY(m_completion->isOpen());
        const QString tip = m_completion->list()->item(0)->toolTip();
        QVERIFY2(!tip.contains(u"<b>") && !tip.contains(u"<img"), qPrintable(tip));
        QTextDocument shown;
        shown.setHtml(tip); // as QToolTip shows rich text
        QCOMPARE(shown.toPlainText(), u"Hi <b>Ana</b> <img src=x>, your refund is on its way."_qs);
    }

    // A list of thousands builds only the best rows per keystroke.
    void aLongListShowsItsBestMatches()
    {
        QList<CannedResponse> many;
        for (int i = 0; i < 5000; ++i)
            many.append({QString::number(i), QStringLiteral("code%1").arg(i), QStringLiteral("Answer %1").arg(i)});
        m_completion->setList(CannedList {CannedList::State::Ready, many, QString()});
        type(u"/"_qs);
        QCOMPARE(m_completion->shownCodes().size(), CannedCompletion::MaxShown);
        type(u"code4999"_qs);
        QCOMPARE(m_completion->shownCodes(), QStringList {u"code4999"_qs});
    }

    void typingNarrowsByCodeAndContent()
    {
        type(u"/ref"_qs);
        QCOMPARE(m_completion->shownCodes(), (QStringList {"refund", "prefund"}));
        type(u"u"_qs);
        QCOMPARE(m_completion->shownCodes(), (QStringList {"refund", "prefund"}));
        for (int i = 0; i < 4; ++i)
            key(Qt::Key_Backspace);
        QCOMPARE(editor()->toPlainText(), u"/"_qs);
        type(u"PHOTO"_qs); // the content, whatever the case
        QCOMPARE(m_completion->shownCodes(), QStringList {u"prefund"_qs});
    }

    void tabInsertsWithPlaceholdersFilledAndDoesNotSend()
    {
        QSignalSpy sent(m_composer, &Composer::sendRequested);
        type(u"/"_qs);
        key(Qt::Key_Down);
        key(Qt::Key_Down);
        key(Qt::Key_Down);
        QCOMPARE(m_completion->list()->currentRow(), 3);
        key(Qt::Key_Tab);
        QCOMPARE(editor()->toPlainText(), u"We will call you back on +55 11912345678."_qs);
        QVERIFY(!m_completion->isOpen());
        QCOMPARE(sent.size(), 0);
        QVERIFY(editor()->hasFocus()); // Tab did not move the focus either
        QCOMPARE(editor()->textCursor().position(), int(editor()->toPlainText().size()));
        // The agent edits, then sends as usual.
        type(u" Bye"_qs);
        key(Qt::Key_Return);
        QCOMPARE(sent.size(), 1);
        QCOMPARE(sent.first().at(0).toString(), u"We will call you back on +55 11912345678. Bye"_qs);
    }

    void enterInsertsTheChosenOneAndUpWraps()
    {
        QSignalSpy sent(m_composer, &Composer::sendRequested);
        type(u"/ref"_qs);
        key(Qt::Key_Up); // from the first to the last
        QCOMPARE(m_completion->list()->currentRow(), 1);
        key(Qt::Key_Return);
        QCOMPARE(editor()->toPlainText(), u"Before we refund, please send a photo."_qs);
        QCOMPARE(sent.size(), 0);
        // One undo step brings back what was typed.
        editor()->undo();
        QCOMPARE(editor()->toPlainText(), u"/ref"_qs);
    }

    void escapeClosesUntilTheSlashIsGone()
    {
        QSignalSpy sent(m_composer, &Composer::sendRequested);
        type(u"/ho"_qs);
        QVERIFY(m_completion->isOpen());
        key(Qt::Key_Escape);
        QVERIFY(!m_completion->isOpen());
        type(u"ur"_qs);
        QVERIFY(!m_completion->isOpen()); // dismissed: typing on does not bring it back
        QCOMPARE(editor()->toPlainText(), u"/hour"_qs);
        editor()->clear();
        type(u"/"_qs);
        QVERIFY(m_completion->isOpen());
        key(Qt::Key_Escape);
        key(Qt::Key_Return); // closed: Enter sends what is written, as always
        QCOMPARE(sent.size(), 1);
        QCOMPARE(sent.first().at(0).toString(), u"/"_qs);
    }

    void onlyAtTheStart()
    {
        type(u"see /refund"_qs);
        QVERIFY(!m_completion->isOpen());
        editor()->clear();
        type(u"/refund"_qs);
        key(Qt::Key_Return, Qt::ShiftModifier); // a new line: the agent is writing, not choosing
        QVERIFY(!m_completion->isOpen());
    }

    void aClickInserts()
    {
        type(u"/"_qs);
        const QRect second = m_completion->list()->visualItemRect(m_completion->list()->item(1));
        QTest::mouseClick(m_completion->list()->viewport(), Qt::LeftButton, {}, second.center());
        QCOMPARE(editor()->toPlainText(), u"We are open from 9 to 17."_qs);
        QVERIFY(!m_completion->isOpen());
    }

    void noMatchSaysSoAndEnterDoesNothing()
    {
        QSignalSpy sent(m_composer, &Composer::sendRequested);
        type(u"/zzz"_qs);
        QVERIFY(m_completion->isOpen());
        QVERIFY(m_completion->list()->isHidden());
        QCOMPARE(m_completion->message()->text(), u"No canned response matches “zzz”."_qs);
        key(Qt::Key_Return);
        QCOMPARE(sent.size(), 0);
        QCOMPARE(editor()->toPlainText(), u"/zzz"_qs);
    }

    void anEmptyListSaysSo()
    {
        m_completion->setList(CannedList {CannedList::State::Ready, {}, QString()});
        type(u"/"_qs);
        QVERIFY(m_completion->isOpen());
        QCOMPARE(m_completion->shownCodes(), QStringList {});
        QCOMPARE(m_completion->message()->text(), u"This account has no canned responses."_qs);
        QVERIFY(m_completion->reloadButton()->isHidden());
    }

    void aListStillLoadingSaysSoThenShows()
    {
        m_completion->setList(CannedList {});
        type(u"/hour"_qs);
        QCOMPARE(m_completion->message()->text(), u"Loading canned responses…"_qs);
        m_completion->setList(CannedList {CannedList::State::Ready, Responses, QString()});
        QCOMPARE(m_completion->shownCodes(), QStringList {u"hours"_qs});
        QVERIFY(m_completion->message()->isHidden());
    }

    // The server said no: the completion says why and offers to try again; the composer keeps working.
    void aFailedLoadSaysWhyAndOffersToTryAgain()
    {
        QSignalSpy sent(m_composer, &Composer::sendRequested);
        QSignalSpy reload(m_completion, &CannedCompletion::reloadRequested);
        m_completion->setList(
            CannedList {CannedList::State::Failed, {}, u"Cannot reach the server: Connection refused"_qs});
        type(u"/"_qs);
        QCOMPARE(m_completion->message()->text(),
            u"Canned responses could not be loaded: Cannot reach the server: Connection refused"_qs);
        QVERIFY(m_completion->reloadButton()->isVisible());
        QTest::mouseClick(m_completion->reloadButton(), Qt::LeftButton);
        QCOMPARE(reload.size(), 1);
        key(Qt::Key_Escape);
        editor()->clear();
        type(u"Still here"_qs);
        key(Qt::Key_Return);
        QCOMPARE(sent.size(), 1);

        // Loaded once, failed to refresh: the old list is offered, with the reason it may be stale.
        m_completion->setList(CannedList {CannedList::State::Failed, Responses, u"Storage error"_qs});
        type(u"/hours"_qs);
        QCOMPARE(m_completion->shownCodes(), QStringList {u"hours"_qs});
        QCOMPARE(m_completion->message()->text(), u"The list may be out of date: Storage error"_qs);
    }

    // The menu's way in: at the cursor when the list is closed.
    void insertAtTheCursorWhenClosed()
    {
        type(u"Hello! "_qs);
        m_completion->insert(Responses.at(1));
        QCOMPARE(editor()->toPlainText(), u"Hello! We are open from 9 to 17."_qs);
    }
};

QTEST_MAIN(TestCannedCompletion)
#include "tst_cannedcompletion.moc"

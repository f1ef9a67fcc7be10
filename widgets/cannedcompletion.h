// CannedCompletion: the canned responses offered while the agent writes "/…" at the start of a reply
// (issue 18). A list of short codes with a preview of their content, narrowed as the agent types (short
// code and content); ↑/↓ move, Tab or Enter put the response in the reply with its placeholders filled,
// Esc closes. It never sends: the agent edits and sends as usual. It lives on top of the conversation,
// just above the reply box, and takes the keys it needs from the editor before the composer does.
#pragma once

#include "cannedresponse.h"

#include <QFrame>

#include <functional>

class QLabel;
class QListWidget;
class QPlainTextEdit;
class QToolButton;

class CannedCompletion : public QFrame
{
    Q_OBJECT

public:
    static constexpr int MaxShown = 50; // rows built per keystroke, whatever the list's length
    // Watches `editor`; shows itself in `host` (its parent) with its bottom edge on `anchor`'s top edge.
    CannedCompletion(QPlainTextEdit *editor, QWidget *anchor, QWidget *host);

    // The session's list; shown as it comes (loading, failed, empty).
    void setList(const CannedList &list);
    // Fills a response's placeholders for the conversation at hand (Canned::fill with its customer).
    void setFiller(std::function<QString(const QString &content)> filler) { m_filler = std::move(filler); }

    bool isOpen() const { return isVisible(); }
    QString query() const; // what follows the "/"
    QListWidget *list() const { return m_list; }
    QLabel *message() const { return m_message; } // loading, failed, nothing matches; hidden otherwise
    QToolButton *reloadButton() const { return m_reload; } // shown when the list could not be loaded
    QStringList shownCodes() const; // the short codes listed, in order

    // Puts `response` in the reply: in place of the "/…" while the list is open, else at the cursor.
    void insert(const CannedResponse &response);
    bool insertCurrent();

signals:
    void reloadRequested();

protected:
    bool eventFilter(QObject *watched, QEvent *event) override;
    void changeEvent(QEvent *event) override;

private:
    void onTextChanged();
    void refill();
    void showMessage(const QString &text, bool offerReload = false);
    void place();
    void close();
    QString filled(const QString &content) const;

    QPlainTextEdit *m_editor;
    QWidget *m_anchor;
    QListWidget *m_list;
    QLabel *m_message;
    QToolButton *m_reload;
    CannedList m_source;
    QList<CannedResponse> m_shown; // at most MaxShown
    std::function<QString(const QString &)> m_filler;
    bool m_dismissed = false; // Esc: stays closed until the text no longer starts with "/"
};

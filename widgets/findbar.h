// FindBar: find in a conversation (issue 18), over the history: the text to find, "3 of 17", previous
// and next, "Search older messages" while older pages exist on the server (with its progress and Stop),
// and Close. Enter and Shift+Enter in the field step through the matches, Escape closes. It shows what
// it is told; ConversationFind does the finding.
#pragma once

#include <QWidget>

class QLabel;
class QLineEdit;
class QToolButton;

class FindBar : public QWidget
{
    Q_OBJECT

public:
    explicit FindBar(QWidget *parent = nullptr);

    QLineEdit *field() const { return m_field; }
    QString query() const;
    // `current` counts from 1; total 0 says "No matches"; both 0 with an empty query say nothing.
    void setCount(int current, int total);
    QString countText() const;
    // Older pages exist on the server: offer to search them.
    void setOlderOffered(bool offered);
    // While older pages are loaded one after another: how many messages so far, and Stop.
    void setSearchingOlder(bool searching, int loaded = 0);
    // A line about the last search of older messages ("Reached the start…"); empty clears it.
    void setNote(const QString &note);
    QString noteText() const;

    QToolButton *previousButton() const { return m_previous; }
    QToolButton *nextButton() const { return m_next; }
    QToolButton *olderButton() const { return m_older; }
    QToolButton *stopButton() const { return m_stop; }
    QToolButton *closeButton() const { return m_close; }

    // Shows the bar and puts the keyboard in its field, the text selected (Ctrl+F again: type anew).
    void open();

signals:
    void queryChanged(const QString &query);
    void nextRequested();
    void previousRequested();
    void olderRequested();
    void stopRequested();
    void closeRequested();

protected:
    bool eventFilter(QObject *watched, QEvent *event) override;
    void paintEvent(QPaintEvent *event) override;

private:
    QLineEdit *m_field;
    QLabel *m_count;
    QToolButton *m_previous;
    QToolButton *m_next;
    QToolButton *m_older;
    QLabel *m_progress;
    QToolButton *m_stop;
    QToolButton *m_close;
    bool m_olderOffered = false;
    bool m_searchingOlder = false;
};

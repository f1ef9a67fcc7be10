// FailedRepliesBar: "3 replies not sent · Retry all · Discard all" above the conversation, shown
// while any reply has failed, so a batch of failures after an outage is one click, not ten.
#pragma once

#include <QWidget>

class QToolButton;

class FailedRepliesBar : public QWidget
{
    Q_OBJECT

public:
    explicit FailedRepliesBar(QWidget *parent = nullptr);

    // Hidden at 0. `connectionBack`: the link just came back, so say that Retry all is worth a try.
    void setUnsentCount(int count, bool connectionBack = false);
    int unsentCount() const { return m_count; }
    QString text() const;
    QToolButton *showFirstButton() const { return m_showFirst; } // "3 replies not sent"
    QToolButton *retryAllButton() const { return m_retryAll; }
    QToolButton *discardAllButton() const { return m_discardAll; }

signals:
    void showFirstRequested();
    void retryAllRequested();
    void discardAllRequested();

protected:
    void paintEvent(QPaintEvent *event) override;
    void changeEvent(QEvent *event) override;

private:
    void applyColours();
    QToolButton *m_showFirst;
    QToolButton *m_retryAll;
    QToolButton *m_discardAll;
    int m_count = 0;
};

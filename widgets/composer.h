// Composer: where the agent writes a reply. Enter sends, Shift+Enter breaks the line; the editor
// grows from one to six lines and takes plain text only. Replies longer than the upstream limit stay in
// the editor (never cut silently) but cannot be sent; a counter shows the length near the limit.
#pragma once

#include <QWidget>

class QLabel;
class QPlainTextEdit;
class QToolButton;

class Composer : public QWidget
{
    Q_OBJECT

public:
    // WhatsApp's limit for a text message body, which the backend enforces too (issue 5).
    static constexpr int maxLength = 4096;
    // The counter appears from here: early enough to shorten, late enough not to distract.
    static constexpr int counterFrom = 3600;
    // A reply's length as the limit counts it: UTF-16 code units of the trimmed text, i.e. QString::size()
    // and JavaScript's String.length, which is what a Node backend measures. An emoji counts 2 (a ZWJ
    // family up to 11), so the console never lets through a reply the backend would refuse.
    static int lengthOf(const QString &text);

    explicit Composer(QWidget *parent = nullptr);

    QPlainTextEdit *editor() const { return m_editor; }
    QToolButton *sendButton() const { return m_send; }
    QLabel *counter() const { return m_counter; } // "3,650 / 4,096"; hidden below counterFrom
    QLabel *limitMessage() const { return m_limitMessage; } // why Send is off; hidden within the limit
    bool isOverLimit() const;
    // Sends what is written (trimmed) unless it is only whitespace or too long; returns whether it sent.
    bool send();

signals:
    void sendRequested(const QString &text);

protected:
    bool eventFilter(QObject *watched, QEvent *event) override;
    void changeEvent(QEvent *event) override;

private:
    void applyLook(); // colours, icon and small fonts from the current palette and font
    void updateHeight();
    void updateSendButton();
    void updateCounter(int length);

    QPlainTextEdit *m_editor = nullptr;
    QToolButton *m_send = nullptr;
    QLabel *m_counter = nullptr;
    QLabel *m_limitMessage = nullptr;
};

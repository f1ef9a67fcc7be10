// Composer: where the agent writes a reply. Enter sends, Shift+Enter breaks the line; the editor
// grows from one to six lines and takes plain text only.
#pragma once

#include <QWidget>

class QPlainTextEdit;
class QToolButton;

class Composer : public QWidget
{
    Q_OBJECT

public:
    explicit Composer(QWidget *parent = nullptr);

    QPlainTextEdit *editor() const { return m_editor; }
    QToolButton *sendButton() const { return m_send; }
    // Sends what is written (trimmed) unless it is only whitespace; returns whether it sent.
    bool send();

signals:
    void sendRequested(const QString &text);

protected:
    bool eventFilter(QObject *watched, QEvent *event) override;

private:
    void updateHeight();
    void updateSendButton();

    QPlainTextEdit *m_editor = nullptr;
    QToolButton *m_send = nullptr;
};

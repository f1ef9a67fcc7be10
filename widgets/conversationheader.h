// ConversationHeader: the customer at a glance above the history (issue 18): name, phone number in
// international form (a click copies it), the integration the conversation comes through, and whether
// the live connection is up.
#pragma once

#include <QWidget>

class QLabel;
class QTimer;
class QToolButton;

class ConversationHeader : public QWidget
{
    Q_OBJECT

public:
    enum class Connection { Connecting, Connected, Reconnecting, Offline };
    Q_ENUM(Connection)

    explicit ConversationHeader(QWidget *parent = nullptr);

    // `phone`: as shown (international form); empty hides the button.
    void setCustomer(const QString &name, const QString &phone, const QString &integration);
    void setConnection(Connection connection);

    QString name() const;
    QString phone() const { return m_phoneText; }
    QString integration() const;
    QString connectionText() const;
    QToolButton *phoneButton() const { return m_phone; }

signals:
    void phoneCopied(const QString &phone);

protected:
    void paintEvent(QPaintEvent *event) override;
    void changeEvent(QEvent *event) override;

private:
    void copyPhone();
    void applyLook();
    void showPhone(const QString &text);

    QLabel *m_name;
    QToolButton *m_phone;
    QLabel *m_integration;
    QLabel *m_connection;
    QTimer *m_copiedTimer;
    QString m_phoneText;
    Connection m_state = Connection::Connecting;
};

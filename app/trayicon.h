// TrayIcon: the console in the system tray. The app icon with a badge for unread messages and a red
// mark while replies are not sent, a tooltip saying both, a Show / Quit menu; a click brings the window
// back. Works without a tray too (nothing is shown; the icon is still drawn, e.g. for the window).
#pragma once

#include <QIcon>
#include <QObject>
#include <QPointer>

#include <memory>

class QMenu;
class QSystemTrayIcon;
class QWidget;

class TrayIcon : public QObject
{
    Q_OBJECT

public:
    explicit TrayIcon(QWidget *window, QObject *parent = nullptr);
    ~TrayIcon() override;

    // The window Show and a click bring back; may change (e.g. rebuilt after signing in again).
    void setWindow(QWidget *window) { m_window = window; }
    QSystemTrayIcon *systemTrayIcon() const { return m_tray; }
    QMenu *menu() const { return m_menu.get(); }
    int unreadCount() const { return m_unread; }
    int unsentCount() const { return m_unsent; }
    QString toolTip() const;
    QIcon icon() const;
    // The icon as the tray draws it now, `size` device-independent pixels square.
    QPixmap pixmap(int size, qreal devicePixelRatio = 1.0) const;
    // The app icon without badges: resources/icons/agent-console.svg, else the theme's, else drawn here.
    static QIcon appIcon();

    // Shows the icon where the desktop has a tray. Returns whether it does.
    bool show();

public slots:
    void setUnreadCount(int count);
    void setUnsentCount(int count);
    void showWindow();

signals:
    void quitRequested();

private:
    void refresh();

    QPointer<QWidget> m_window;
    QSystemTrayIcon *m_tray;
    std::unique_ptr<QMenu> m_menu; // a QMenu needs a widget parent; the tray has none
    QIcon m_appIcon;
    int m_unread = 0;
    int m_unsent = 0;
};

// MainWindow: one conversation on screen: connection banner, history, composer; menus and the
// bubble context menu. It only wires widgets to the ConversationController.
#pragma once

#include <QMainWindow>

class Composer;
class ConnectionBanner;
class ConversationController;
class ConversationView;
class DemoBackend;
class FailedRepliesBar;

class MainWindow : public QMainWindow
{
    Q_OBJECT

public:
    // `demo` may be null; when set, a Demo menu drives the simulated upstream.
    explicit MainWindow(ConversationController *controller, DemoBackend *demo = nullptr, QWidget *parent = nullptr);

    ConversationView *view() const { return m_view; }
    Composer *composer() const { return m_composer; }
    ConnectionBanner *banner() const { return m_banner; }
    FailedRepliesBar *failedBar() const { return m_failedBar; }
    // The bubble menu for a row, built as the context menu shows it (exposed for tests).
    QMenu *createContextMenu(const QModelIndex &index, QWidget *parent);

private:
    void buildMenus(DemoBackend *demo);
    void wireConnection();
    void fillViewport();
    void showContextMenu(const QModelIndex &index, const QPoint &globalPos);

    // What the banner's button does in the banner's current state.
    enum class BannerAction { None, ReconnectNow, Reopen };
    void setBannerAction(BannerAction action);

    ConversationController *m_controller;
    BannerAction m_bannerAction = BannerAction::None;
    ConnectionBanner *m_banner;
    FailedRepliesBar *m_failedBar;
    ConversationView *m_view;
    Composer *m_composer;
};

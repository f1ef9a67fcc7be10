// ImageViewer: a window showing one picture of a conversation: fitted to the window, or zoomed (in,
// out, 100 %), and Save as… (the file as it came, not a re-encoded copy). The picture is decoded off the
// UI thread with the same limits as the thumbnails, to at most MaxSide pixels on its long side.
#pragma once

#include <functional>

#include <QImage>
#include <QList>
#include <QWidget>

#include <memory>

class QLabel;
class QScrollArea;
class QToolButton;

class ImageViewer : public QWidget
{
    Q_OBJECT

public:
    static constexpr int MaxSide = 4096;
    // Zooming in stops where the scaled picture would pass this many device pixels (128 MB): past it a
    // zoom would only freeze the window while it scales and hold the memory.
    static constexpr qint64 MaxShownPixels = 32'000'000;

    // Shows the picture in `path` (a file the viewer may read until it closes), named `fileName`.
    ImageViewer(const QString &path, const QString &fileName, QWidget *parent = nullptr);
    ~ImageViewer() override;
    // Where the file is now, should `path` be gone by the time it is saved (an unsent reply's copy moves
    // into the media cache once the reply is accepted).
    void setLocator(std::function<QString()> locate) { m_locate = std::move(locate); }

    bool isFitted() const { return m_fit; }
    double zoom() const { return m_zoom; } // of the picture's own size; the fitted scale while fitted
    QSize pictureSize() const { return m_image.size(); }
    QLabel *picture() const { return m_picture; }
    QLabel *status() const { return m_status; }
    QToolButton *saveButton() const { return m_save; }

    void fitToWindow();
    void zoomBy(double factor);
    void actualSize();
    void saveAs(); // opens a file dialog (never blocking the window); the copy is written once one is chosen

signals:
    void loaded(); // the picture is shown, or why not
    void saved(const QString &path);

protected:
    void resizeEvent(QResizeEvent *event) override;

private:
    void setImage(const QImage &image, const QString &error);
    void render();
    QToolButton *addButton(const QString &text, const QString &accessibleName, const QKeySequence &key);

    QString m_path;
    std::function<QString()> m_locate;
    QString m_fileName;
    QImage m_image;
    bool m_fit = true;
    double m_zoom = 1;
    QScrollArea *m_scroll;
    QLabel *m_picture;
    QLabel *m_status;
    QToolButton *m_save = nullptr;
    QList<QToolButton *> m_buttons; // fit, zoom out, zoom in, 100 %, save
    std::shared_ptr<bool> m_alive; // for the decoding thread's answer
};

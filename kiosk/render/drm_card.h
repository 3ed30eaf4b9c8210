/* drm_card.h: which /dev/dri/cardN the KMSDRM video driver opens. Card numbers are not stable
 * across boots (on a Pi 4 or 5 the v3d and vc4 drivers race for card0), so the card is found
 * through its stable name in /dev/dri/by-path, preferring one with a display connected. */
#ifndef KIOSK_DRM_CARD_H
#define KIOSK_DRM_CARD_H

/* The N of the best card named in by_path ("platform-gpu-card" -> ../card1): one with a
 * connected connector in sysfs_drm (/sys/class/drm/cardN-HDMI-A-1/status), else one with any
 * connector, else the first by name. -1 when by_path names no card. */
int drm_card_index(const char *by_path, const char *sysfs_drm);

/* Sets SDL_KMSDRM_DEVICE_INDEX from the system's own folders, unless it is set already
 * (staff may pin a card in the unit's environment). Call before SDL initialises video. */
void drm_card_choose(void);

#endif

package org.singlewindow.logistics.returns;

/**
 * A return as logistics follows it ({@code goods_return.state}, whose check constraint lists the same): expected
 * ({@code PENDING}); back in the zone ({@code ARRIVED}); accepted by customs' check and back on the owner's account
 * ({@code RECEIVED}); or refused by customs ({@code REFUSED}).
 */
public enum GoodsReturnState {
    PENDING, ARRIVED, RECEIVED, REFUSED
}

//! Plain data types shared by the layers.
